#!/usr/bin/env bash
# One command for the ShopFast alerting demo: builds and starts the Docker stack, waits until
# every service is healthy and prints where to look. Without a working Docker it shows Docker's
# own error with the fix; on Linux with PostgreSQL installed it starts the native runner instead
# (PostgreSQL, the four services, Prometheus when installed). Written for bash 3.2 too (macOS):
# no associative arrays, no mapfile (test/start-demo.test.ts checks).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

HEALTH_TIMEOUT_SECONDS="${SHOPFAST_HEALTH_TIMEOUT:-300}"
# The oldest Compose the script works with: `ps --format` Go templates arrived in 2.21.
COMPOSE_MIN_MINOR=21
# The database and secrets volumes: docker-compose.yml's project name (shopfast) and its volumes.
DATABASE_VOLUME=shopfast_postgres-data
SECRETS_VOLUME=shopfast_secrets
# Services that run once and exit before the others start (their dependents wait for them to succeed).
ONE_SHOT_SERVICES=" secrets "
MIB=1048576
# Restarts of one container while the stack comes up before the script stops naming its logs.
RESTART_LIMIT=3

# setting in .env : default host port : what listens there
PORT_SETTINGS=(
  FRONTEND_PORT:8081:frontend
  API_PORT:8080:api
  PAYMENT_PORT:8082:payment
  INVENTORY_PORT:8083:inventory
  GRAFANA_PORT:3000:grafana
  PROMETHEUS_PORT:9090:prometheus
  LOKI_PORT:3100:loki
  POSTGRES_PORT:5432:postgres
)

usage() {
  cat <<'EOF'
Usage: ./start-demo.sh [option] [-- native runner options]

  (no option)  build and start the Docker stack, wait until it is healthy, print the URLs
  --down       stop the stack (data is kept)
  --reset      stop the stack, delete its data, and start fresh
  --logs       follow the logs of every service (Ctrl-C to stop following)
  --native     run without Docker: PostgreSQL, the four services and Prometheus (when
               installed) as local processes; Ctrl-C stops everything
  --help       show this help

Needs Docker Compose 2.21 or newer. Without a working Docker (not installed, no Compose v2, daemon
not running or not allowed) the script shows Docker's error and the fix. On Linux with PostgreSQL
installed it then runs --native instead, passing it what follows -- (see ./start-demo.sh --native
--help), for example: ./start-demo.sh -- --random-ports. The stack makes its secrets on its first
start (docker compose logs secrets shows them); the script copies them into .env for the simulator
(see .env.example). Ports already taken are reported with what holds them.
EOF
}

# Every stop goes through here: `die [--usage] <anchor> <message>` prints the cause and the fix on
# one line, then the section of TROUBLESHOOTING.md that explains it (<a id="<anchor>">; a test finds
# every anchor and message there). --usage: a usage error, with the usage and exit code 2.
die() {
  local code=1
  if [[ $1 == --usage ]]; then
    code=2
    shift
  fi
  local anchor=$1
  shift
  # End a progress line rewritten in place, so the message starts on a line of its own.
  [[ $PROGRESS_LINE_OPEN != true ]] || printf '\n'
  printf 'start-demo: %s\n' "$*" >&2
  [[ $code -ne 2 ]] || usage >&2
  printf 'start-demo: explained in TROUBLESHOOTING.md#%s\n' "$anchor" >&2
  exit "$code"
}
PROGRESS_LINE_OPEN=false

# Runs a command with a time limit where coreutils' timeout exists (a hung daemon must not hang us).
bounded() {
  local seconds=$1
  shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$seconds" "$@"
  else
    "$@"
  fi
}

# macos, windows (Git Bash, MSYS, Cygwin), wsl, linux or other: decides how to start Docker and
# whether the native runner can work here.
platform() {
  case "$(uname -s)" in
    Darwin) echo macos ;;
    MINGW* | MSYS* | CYGWIN*) echo windows ;;
    Linux)
      # WSL's kernel names itself (as in /proc/version): 5.15.90.1-microsoft-standard-WSL2, 4.4.0-19041-Microsoft.
      case "$(uname -r)" in
        *[Mm]icrosoft*) echo wsl ;;
        *) echo linux ;;
      esac
      ;;
    *) echo other ;;
  esac
}

# Succeeds when `docker info` does; otherwise prints Docker's own error lines on one line and fails.
# Older CLIs print them on stdout ("ERROR: ...") and only "errors pretty printing info" on stderr.
docker_info_error() {
  local output status=0 lines
  output=$(bounded 20 docker info 2>&1) || status=$?
  [[ $status -ne 0 ]] || return 0
  if [[ $status -eq 124 ]]; then
    echo "no answer within 20 s"
    return 1
  fi
  output=$(echo "$output" | tr -d '\r' | grep -v -e 'errors pretty printing info' -e '^[[:space:]]*$') || true
  lines=$(echo "$output" | grep -iE 'error|denied|cannot|refused|not running' | sed 's/^[[:space:]]*ERROR: *//') ||
    lines=$(echo "$output" | tail -n 1)
  echo "${lines:-no output}" | tr '\n' ' ' | sed 's/ *$//'
  echo
  return 1
}

# What to do about a daemon that does not answer, for this platform.
start_docker_hint() {
  case "$(platform)" in
    wsl) echo "start Docker Desktop on Windows and turn on its WSL integration (Settings → Resources → WSL integration)" ;;
    linux) echo "start it (sudo systemctl start docker) or Docker Desktop" ;;
    *) echo "start Docker Desktop and wait until it says it is running" ;;
  esac
}

# Why the Docker stack cannot run here: `problem <anchor> <cause> <fix>` fills these, read by main's
# stops (the test reads its calls as it reads die's).
PROBLEM_ANCHOR="" PROBLEM_CAUSE="" PROBLEM_FIX=""
problem() {
  PROBLEM_ANCHOR=$1 PROBLEM_CAUSE=$2 PROBLEM_FIX=$3
}

# Sets the PROBLEM_* above when Docker cannot run the stack here; leaves them empty when it can.
find_docker_problem() {
  local error
  if ! command -v docker >/dev/null 2>&1; then
    problem docker-missing "Docker is not installed" \
      "install Docker Desktop, or Docker Engine with its Compose plugin on Linux (https://docs.docker.com/get-docker/)"
  elif ! bounded 20 docker compose version >/dev/null 2>&1; then
    problem compose-missing "Docker Compose v2 ('docker compose') is not available" \
      "update Docker Desktop, or install the docker-compose-plugin package"
  elif ! error=$(docker_info_error); then
    if [[ $error == *"permission denied"* ]]; then
      problem docker-refused "Docker refused this user (docker info: $error)" \
        "add yourself to the docker group (sudo usermod -aG docker \$USER), then log out and in again; or use Docker Desktop"
    else
      problem docker-not-running "the Docker daemon is not running (docker info: $error)" "$(start_docker_hint)"
    fi
  fi
}

# The native runner needs Linux, Node.js and PostgreSQL's server binaries: scripts/native/postgres.ts
# takes them from PG_BIN_DIR, else /usr/lib/postgresql/<version>/bin, unless DATABASE_URL names a database.
native_can_run() {
  [[ $(platform) == linux ]] && command -v node >/dev/null 2>&1 || return 1
  [[ -n ${DATABASE_URL:-} ]] || [[ -n ${PG_BIN_DIR:-} && -x ${PG_BIN_DIR:-}/initdb ]] ||
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Stops before anything starts when Compose is older than 2.21. `--short` prints 2.29.7, v2.29.7 or
# 2.24.6-desktop.1 depending on the build; a version it cannot read is said, not fatal.
require_compose_version() {
  local version
  version=$(bounded 20 docker compose version --short 2>/dev/null | tr -d '\r' | head -n 1) || true
  if [[ ! $version =~ ^v?([0-9]+)\.([0-9]+) ]]; then
    echo "start-demo: cannot read Docker Compose's version ('$version'); going on, but it needs 2.21 or newer" >&2
    return 0
  fi
  if [[ ${BASH_REMATCH[1]} -lt 2 || (${BASH_REMATCH[1]} -eq 2 && ${BASH_REMATCH[2]} -lt $COMPOSE_MIN_MINOR) ]]; then
    die old-compose "needs Docker Compose 2.$COMPOSE_MIN_MINOR or newer (found $version): update Docker Desktop, or the docker-compose-plugin package on Linux"
  fi
}

# The oldest Node.js the code runs on: package.json's engines (">=X.Y.Z"), the one place it is written.
required_node() {
  sed -n 's/^ *"node": ">=\([0-9.]*\)".*/\1/p' package.json
}

run_native() {
  local required
  required=$(required_node)
  command -v node >/dev/null 2>&1 ||
    die node-missing "Node.js is not installed either: install Docker (https://docs.docker.com/get-docker/) or Node.js $required or newer (https://nodejs.org)"
  # The simulator's own check (simulator/node-version.js), so both say the same.
  node --input-type=module -e "import { nodeVersionProblem } from './simulator/node-version.js';
    process.exit(nodeVersionProblem(process.versions.node, '$required', []) ? 1 : 0);" 2>/dev/null ||
    die node-too-old "Node.js $(node --version) is too old for the native runner: it needs Node.js $required or newer"
  if [[ ! -d node_modules ]]; then
    echo "Installing dependencies (npm ci)..."
    npm ci --no-audit --no-fund || die npm-ci-failed "npm ci failed (see above)"
  fi
  exec node_modules/.bin/tsx scripts/native/cli.ts "$@"
}

compose() {
  docker compose "$@"
}

# Runs the stack's `secrets` service (docker/stack-secrets.sh) before the start: it keeps what an
# earlier start made, makes what is missing, and prints every secret as NAME=value. The ones .env
# lacks are written into it, for the simulator on this machine (it reads .env) and the summary;
# .env's own values are what compose passes in, so they win.
copy_stack_secrets_to_env() {
  local output line secrets="" name added=""
  output=$(compose run --rm --no-deps -T secrets | tr -d '\r') || output=""
  while IFS= read -r line; do
    [[ ! $line =~ ^[A-Z][A-Z0-9_]*=. ]] || secrets="$secrets$line"$'\n'
  done <<<"$output"
  [[ -n $secrets ]] ||
    die secrets-failed "docker compose run secrets printed no secrets (its error is above): fix what it says, then run ./start-demo.sh again"
  (
    umask 077
    [[ -f .env ]] || echo "# Written by start-demo.sh; every setting is described in .env.example." >.env
  )
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    name=${line%%=*}
    [[ -z $(env_value "$name" "") ]] || continue
    # An empty "NAME=" line (as in .env.example) is replaced, not left to shadow the new one.
    (
      umask 077
      grep -v "^$name=\$" .env >.env.new || true
      echo "$line" >>.env.new
      mv .env.new .env
    )
    added="$added $name"
  done <<<"$secrets"
  chmod 600 .env # also when an older .env was readable by others
  [[ -z $added ]] || echo "Wrote the stack's secrets into .env (for the simulator; kept for the next runs):$added"
}

# The value of a setting in .env, or the given default. .env is read, never executed.
env_value() {
  local value=""
  if [[ -f .env ]]; then
    value=$(sed -n "s/^$1=//p" .env | tail -n 1)
  fi
  echo "${value:-$2}"
}

# The postgres image applies these only when it creates the database volume, and the fixed project
# name makes every clone share that volume: other values would be refused.
VOLUME_SECRETS=(POSTGRES_PASSWORD GRAFANA_DB_PASSWORD)

# Stops, writing nothing, when a database volume exists but neither .env nor the secrets volume
# (made with it, unless it predates it or was deleted alone) holds its passwords: new ones would not match.
check_env_matches_volume() {
  local name missing=""
  for name in "${VOLUME_SECRETS[@]}"; do
    [[ -n $(env_value "$name" "") ]] || missing="$missing $name"
  done
  [[ -n $missing ]] || return 0
  bounded 20 docker volume inspect "$DATABASE_VOLUME" >/dev/null 2>&1 || return 0
  ! bounded 20 docker volume inspect "$SECRETS_VOLUME" >/dev/null 2>&1 || return 0
  local lacking="there is no .env with its passwords"
  [[ ! -f .env ]] || lacking=".env has no$missing"
  die volume-without-env "the database volume $DATABASE_VOLUME exists from an earlier run (of this or another clone) but $lacking, nor a volume $SECRETS_VOLUME: restore the .env that run wrote, or run ./start-demo.sh --reset to delete the old data and start fresh"
}

# Stops when Docker has less memory than the stack's containers may use together: the sum of their
# mem_limit, read through `docker compose config` so it follows docker-compose.yml.
check_engine_memory() {
  local engine limits limit total=0
  engine=$(bounded 20 docker info --format '{{.MemTotal}}' 2>/dev/null | tr -d '\r') || return 0
  [[ $engine =~ ^[0-9]+$ ]] || return 0
  # Compose prints each limit in bytes, as a string: "mem_limit": "272629760".
  limits=$(compose config --format json 2>/dev/null | grep -oE '"mem_limit": *"?[0-9]+' | grep -oE '[0-9]+$') ||
    return 0
  for limit in $limits; do total=$((total + limit)); done
  [[ $engine -lt $total ]] || return 0
  # Whole gigabytes, with a 256 MiB margin: Docker Desktop's VM keeps part of what it is given.
  local gigabytes=$(((total + 256 * MIB + 1024 * MIB - 1) / (1024 * MIB)))
  die docker-memory "Docker has $((engine / MIB)) MiB of memory, less than the $((total / MIB)) MiB the stack's containers may use (mem_limit in docker-compose.yml): give Docker Desktop at least $gigabytes GB (Settings → Resources → Memory), or on Linux use a machine with more memory"
}

# Prints what listens on TCP port $1 and succeeds; fails when the port is free.
port_holder() {
  local port=$1 out pid name
  if command -v ss >/dev/null 2>&1; then
    out=$(ss -H -ltnp "sport = :$port" 2>/dev/null || true)
    [[ -n $out ]] || return 1
    if [[ $out =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
      echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
    else
      echo "a process of another user (run 'sudo ss -ltnp' to see which)"
    fi
    return 0
  fi
  if command -v lsof >/dev/null 2>&1; then
    out=$(lsof -nP -iTCP:"$port" -sTCP:LISTEN -Fpc 2>/dev/null || true)
    [[ -n $out ]] || return 1
    pid=$(echo "$out" | sed -n 's/^p//p' | head -n 1)
    name=$(echo "$out" | sed -n 's/^c//p' | head -n 1)
    echo "${name:-a process} (pid ${pid:-?})"
    return 0
  fi
  # Neither tool: a successful connection at least tells the port is taken.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "an unknown process"
    return 0
  fi
  return 1
}

check_ports() {
  # Ports held by this stack itself are fine: `up` leaves running containers as they are.
  if [[ -n $(compose ps -q 2>/dev/null) ]]; then
    return 0
  fi
  local entry var default name port holder taken=0
  for entry in "${PORT_SETTINGS[@]}"; do
    IFS=: read -r var default name <<<"$entry"
    port=$(env_value "$var" "$default")
    if holder=$(port_holder "$port"); then
      echo "  port $port ($name) is taken by $holder: stop it, or set $var=<free port> in .env" >&2
      taken=1
    fi
  done
  [[ $taken -eq 0 ]] || die ports-taken "ports needed by the stack are taken (see above)"
}

# Stops on a container that is not running and will not come up; returns while it may still: out
# of memory (from `docker inspect`, as ps shows only "restarting"), stopped, or restarting again and again.
stop_on_container_failure() {
  local service=$1 container=$2 state=$3 oom limit restarts
  read -r oom limit restarts <<<"$(bounded 20 docker inspect \
    --format '{{.State.OOMKilled}} {{.HostConfig.Memory}} {{.RestartCount}}' "$container" 2>/dev/null || true)"
  if [[ ${oom:-} == true && ${limit:-0} =~ ^[1-9][0-9]*$ ]]; then
    die container-out-of-memory "$service ran out of memory (killed at its $((limit / MIB)) MiB limit): raise its mem_limit in docker-compose.yml, and Docker Desktop's memory (Settings → Resources) if the stack no longer fits"
  elif [[ ${oom:-} == true ]]; then
    die container-out-of-memory "$service ran out of memory (it has no limit: Docker itself is short): give Docker Desktop more memory (Settings → Resources)"
  elif [[ $state != restarting ]]; then
    die container-restarting "$service has stopped ($state): see its logs with 'docker compose logs $service'"
  elif [[ ${restarts:-0} =~ ^[0-9]+$ && ${restarts:-0} -ge $RESTART_LIMIT ]]; then
    die container-restarting "$service keeps restarting ($restarts restarts): see its logs with 'docker compose logs $service'"
  fi
}

# Polls `docker compose ps` until every service is healthy (or running, without a healthcheck).
# Progress rewrites one line on a terminal; elsewhere (CI, a pipe) it prints each change once.
wait_until_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT_SECONDS)) rows service container state health total ready waiting
  local line shown=""
  while :; do
    rows=$(compose ps --all --format '{{.Service}} {{.Name}} {{.State}} {{.ExitCode}} {{.Health}}') ||
      die compose-ps-failed "docker compose ps failed (see above)"
    total=0 ready=0 waiting=""
    while read -r service container state exit_code health; do
      [[ -n $service ]] || continue
      # A one-shot service that finished is done, not down.
      [[ ! ($ONE_SHOT_SERVICES == *" $service "* && $state == exited && $exit_code == 0) ]] || continue
      total=$((total + 1))
      case "$state/$health" in
        running/healthy | running/)
          ready=$((ready + 1))
          continue
          ;;
        restarting/* | exited/* | dead/*) stop_on_container_failure "$service" "$container" "$state" ;;
        */unhealthy) die container-restarting "$service is unhealthy ($state): see its logs with 'docker compose logs $service'" ;;
      esac
      waiting="$waiting $service"
    done <<<"$rows"
    [[ $total -gt 0 ]] || die no-containers "docker compose started no containers (see 'docker compose ps --all')"
    line="  $ready/$total services healthy${waiting:+ (waiting for:$waiting)}"
    if [[ -t 1 ]]; then
      printf '\r%s   ' "$line"
      PROGRESS_LINE_OPEN=true
    elif [[ $line != "$shown" ]]; then
      echo "$line"
    fi
    shown=$line
    if [[ $ready -eq $total ]]; then
      [[ $PROGRESS_LINE_OPEN != true ]] || printf '\n'
      PROGRESS_LINE_OPEN=false
      return 0
    fi
    [[ $SECONDS -lt $deadline ]] ||
      die health-timeout "still waiting for$waiting after ${HEALTH_TIMEOUT_SECONDS}s: see ./start-demo.sh --logs"
    sleep 2
  done
}

print_summary() {
  local frontend grafana prometheus api loki postgres
  frontend=$(env_value FRONTEND_PORT 8081)
  grafana=$(env_value GRAFANA_PORT 3000)
  prometheus=$(env_value PROMETHEUS_PORT 9090)
  api=$(env_value API_PORT 8080)
  loki=$(env_value LOKI_PORT 3100)
  postgres=$(env_value POSTGRES_PORT 5432)
  cat <<EOF

ShopFast is running.
  Shop          http://localhost:$frontend
  Status page   http://localhost:$frontend/status   (incidents arrive from Grafana's webhook)
  Grafana       http://localhost:$grafana   (sign in: admin / $(env_value GRAFANA_PASSWORD '?'); anonymous visitors can view)
  Prometheus    http://localhost:$prometheus
  API           http://localhost:$api
  Loki          http://localhost:$loki   (API only: read the logs in Grafana's Explore)
  PostgreSQL    localhost:$postgres   (database and user shopfast, password in .env)
  Admin token   $(env_value ADMIN_TOKEN '?')   (the simulator reads ADMIN_TOKEN)

First three commands, from this folder after 'npm ci' (the simulator reads the token and the
Grafana password from .env; without Node, use 'docker compose run --rm sim <command>' instead):
  npx shopfast-sim check
  npx shopfast-sim run payment-failures --until-firing
  npx shopfast-sim reset

Stop with ./start-demo.sh --down, start from scratch with ./start-demo.sh --reset.
EOF
}

start_stack() {
  check_env_matches_volume
  check_engine_memory
  check_ports
  copy_stack_secrets_to_env
  echo "Building and starting the stack (the first build downloads images and takes a few minutes)..."
  compose up -d --build --remove-orphans || die compose-up-failed "docker compose up failed (see above)"
  echo "Waiting for every service to be healthy (up to ${HEALTH_TIMEOUT_SECONDS}s):"
  wait_until_healthy
  print_summary
}

main() {
  local action=up
  if [[ $# -gt 0 && $1 != -- ]]; then
    action=$1
    shift
  fi
  # Whatever follows -- (or --native) goes to the native runner, e.g. -- --random-ports.
  [[ ${1:-} != -- ]] || shift
  case "$action" in
    --help | -h)
      usage
      return 0
      ;;
    --native) run_native "$@" ;;
    up | --down | --reset | --logs) ;;
    *) die --usage usage "unknown option '$action'" ;;
  esac
  [[ $# -eq 0 || $action == up ]] || die --usage usage "$action takes no arguments"

  find_docker_problem
  if [[ -n $PROBLEM_ANCHOR ]]; then
    local verb=stop
    [[ $action != --logs ]] || verb="follow the logs of"
    [[ $action == up || $action == --reset ]] ||
      die "$PROBLEM_ANCHOR" "$PROBLEM_CAUSE: there is no Docker stack to $verb (the native runner stops with Ctrl-C)"
    native_can_run ||
      die "$PROBLEM_ANCHOR" "$PROBLEM_CAUSE: $PROBLEM_FIX; or run without Docker: ./start-demo.sh --native (needs Node.js $(required_node) or newer and PostgreSQL)"
    echo "Docker cannot be used: $PROBLEM_CAUSE. Starting the native runner instead (Ctrl-C stops it)."
    run_native "$@"
  fi
  [[ $# -eq 0 ]] || die native-options-with-docker "the options after -- are for the native runner, which is not needed: Docker works here"

  case "$action" in
    up)
      require_compose_version
      start_stack
      ;;
    --down)
      compose down --remove-orphans || die compose-down-failed "docker compose down failed (see above)"
      ;;
    --reset)
      require_compose_version
      # The data and the secrets volume go; secrets set in .env are used again.
      compose down -v --remove-orphans || die compose-down-failed "docker compose down -v failed (see above)"
      start_stack
      ;;
    --logs)
      compose logs -f --tail=100
      ;;
  esac
}

main "$@"
