#!/usr/bin/env bash
# Installs what the tests need when it is missing: Debian's PostgreSQL, Prometheus (with promtool),
# Alertmanager (with amtool), ShellCheck and Chromium, then the npm dependencies. What it cannot
# install here (no apt-get, as on macOS; neither root nor sudo; kubectl, which Debian ships too old)
# it names, with the command that installs it on this platform and the tests that need it, and stops. Runs before `npm test`
# and in CI. Written for bash 3.2 too (macOS); scripts/ensure-test-deps.test.ts runs it with stand-ins.
set -euo pipefail
cd "$(dirname "$0")/.."

# macos, debian (apt-get here) or linux (another package manager).
case "$(uname -s)" in
  Darwin) platform=macos ;;
  *) if command -v apt-get >/dev/null; then platform=debian; else platform=linux; fi ;;
esac

# Debian packages the tests need and this machine lacks. PostgreSQL's server is where the native
# runner looks for it: PG_BIN_DIR, else Debian's /usr/lib/postgresql/<version>/bin.
missing=()
if [ -n "${PG_BIN_DIR:-}" ]; then
  [ -x "$PG_BIN_DIR/initdb" ] || missing+=(postgresql)
else
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
fi
command -v prometheus >/dev/null || missing+=(prometheus)
# Debian names the binary prometheus-alertmanager (Homebrew: alertmanager); amtool comes with it.
{ command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null; } && command -v amtool >/dev/null ||
  missing+=(prometheus-alertmanager)
command -v shellcheck >/dev/null || missing+=(shellcheck)
# The browser tests launch /usr/bin/chromium, which macOS cannot have (said below, not installed).
[ "$platform" = macos ] || command -v chromium >/dev/null || missing+=(chromium)

# Runs a command as root: directly when this is root, else through sudo; fails when neither is possible.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

if [ ${#missing[@]} -gt 0 ] && [ "$platform" = debian ] && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; }; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  missing=()
fi

# The Kubernetes tests render the manifests with `kubectl kustomize` (offline, no cluster), and
# need the kustomize 5 inside kubectl 1.27 or newer; Debian's kubernetes-client (1.20) is too old.
kubectl_minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1 || true)
if [ -z "$kubectl_minor" ] || [ "$kubectl_minor" -lt 27 ]; then
  kubectl_found="${kubectl_minor:+1.}${kubectl_minor:-none}"
  missing+=(kubectl)
fi

# What a missing package is and which tests cannot run without it.
needed_by() {
  case $1 in
    postgresql) echo "PostgreSQL's server (initdb, pg_ctl): every test under test/ (their native stack starts its own PostgreSQL)" ;;
    prometheus) echo "prometheus and promtool: the tests that query Prometheus or check with promtool" ;;
    prometheus-alertmanager) echo "Alertmanager and amtool: the notification tests (alertmanager/alertmanager.yml, routing, templates, delivery)" ;;
    shellcheck) echo "shellcheck: the lint of the shell scripts (skipped outside CI)" ;;
    chromium) echo "chromium: the browser tests (they launch /usr/bin/chromium)" ;;
    kubectl) echo "kubectl 1.27 or newer is needed (found: $kubectl_found): the Kubernetes tests render deploy/kubernetes with 'kubectl kustomize' (kustomize 5)" ;;
    *) echo "$1" ;;
  esac
}

# The commands that install the missing packages on this platform, one a line.
install_commands() {
  local package formulae="" apt_packages="" others="" brew_postgres=""
  for package in "${missing[@]}"; do
    case "$platform/$package" in
      macos/postgresql) formulae="$formulae postgresql@15" brew_postgres=yes ;;
      macos/prometheus-alertmanager) formulae="$formulae alertmanager" ;;
      macos/*) formulae="$formulae $package" ;;
      */kubectl) others="$others kubectl" ;;
      debian/*) apt_packages="$apt_packages $package" ;;
      *) others="$others $package" ;;
    esac
  done
  [ -z "$formulae" ] || echo "brew install$formulae"
  # Printed for the reader's shell to expand.
  # shellcheck disable=SC2016
  [ -z "$brew_postgres" ] || echo 'export PG_BIN_DIR="$(brew --prefix postgresql@15)/bin"   # where the tests look for PostgreSQL'
  [ -z "$apt_packages" ] || echo "as root: apt-get install -y --no-install-recommends$apt_packages"
  for package in $others; do
    case $package in
      kubectl) echo "kubectl: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (one binary to put on PATH)" ;;
      postgresql) echo "your distribution's PostgreSQL server, then export PG_BIN_DIR=<the folder holding initdb>" ;;
      prometheus-alertmanager) echo "your distribution's Alertmanager package (alertmanager and amtool)" ;;
      *) echo "your distribution's $package package" ;;
    esac
  done
}

if [ "$platform" = macos ]; then
  echo "Note: the browser tests launch /usr/bin/chromium, which macOS does not have: they fail here (they run on Linux and in CI)." >&2
fi

if [ ${#missing[@]} -gt 0 ]; then
  case $platform in
    macos) where="on macOS, with Homebrew (no apt-get here)" ;;
    debian) where="on Debian or Ubuntu (this script runs apt-get only as root or through sudo)" ;;
    linux) where="on this Linux (no apt-get here)" ;;
  esac
  {
    echo "The tests need what this machine lacks:"
    for package in "${missing[@]}"; do echo "  - $(needed_by "$package")"; done
    echo "Install it $where:"
    install_commands | sed 's/^/  /'
    echo "Then run npm test again. (npx vitest run runs the tests without this check: those named above fail.)"
  } >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
