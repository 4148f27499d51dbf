#!/usr/bin/env bash
# Installs what the tests need when it is missing: Debian's PostgreSQL, Prometheus (with promtool),
# ShellCheck and Chromium, then the npm dependencies; stops when kubectl is missing. Runs before
# `npm test` and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Kubernetes tests render the manifests with `kubectl kustomize` (offline, no cluster), and
# need the kustomize 5 inside kubectl 1.27 or newer; Debian's kubernetes-client (1.20) is too old.
# Stop here rather than let those tests fail one by one.
kubectl_minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1 || true)
if [ -z "$kubectl_minor" ] || [ "$kubectl_minor" -lt 27 ]; then
  echo "kubectl 1.27 or newer is needed (found: ${kubectl_minor:+1.}${kubectl_minor:-none}): the Kubernetes tests" >&2
  echo "render deploy/kubernetes with 'kubectl kustomize'. Install kubectl (it bundles kustomize), then run this again." >&2
  exit 1
fi

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v prometheus >/dev/null || missing+=(prometheus)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v chromium >/dev/null || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them with: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
