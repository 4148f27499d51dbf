#!/usr/bin/env bash
# One command for the ShopFast alerting demo: builds and starts the Docker stack, waits until
# every service is healthy and prints where to look. Without a working Docker it says why and
# starts the native runner instead (PostgreSQL, the four services, Prometheus when installed).
# Written for bash 3.2 too (macOS): no associative arrays, no mapfile.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

HEALTH_TIMEOUT_SECONDS="${SHOPFAST_HEALTH_TIMEOUT:-300}"

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

Without a working Docker (not installed, no Compose v2, daemon not running) the script says
so and runs --native, passing it what follows -- (see ./start-demo.sh --native --help),
for example: ./start-demo.sh -- --random-ports. Secrets live in .env, written with random values on the first run
(see .env.example); ports already taken are reported with what holds them.
EOF
}

die() {
  printf 'start-demo: %s\n' "$*" >&2
  exit 1
}

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

# Prints why the Docker stack cannot run here; prints nothing when it can.
docker_problem() {
  if ! command -v docker >/dev/null 2>&1; then
    echo "Docker is not installed"
  elif ! bounded 20 docker compose version >/dev/null 2>&1; then
    echo "Docker Compose v2 ('docker compose') is not available"
  elif ! bounded 20 docker info >/dev/null 2>&1; then
    echo "the Docker daemon is not running ('docker info' failed)"
  fi
}

run_native() {
  command -v node >/dev/null 2>&1 ||
    die "Node.js is not installed either: install Docker (https://docs.docker.com/get-docker/) or Node.js 20+ (https://nodejs.org)"
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    die "Node.js $(node --version) is too old for the native runner: it needs Node.js 20 or newer"
  if [[ ! -d node_modules ]]; then
    echo "Installing dependencies (npm ci)..."
    npm ci --no-audit --no-fund || die "npm ci failed (see above)"
  fi
  exec node_modules/.bin/tsx scripts/native/cli.ts "$@"
}

compose() {
  docker compose "$@"
}

random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# The secrets docker-compose.yml requires (it has no defaults for them and refuses to start without).
SECRET_SETTINGS=(ADMIN_TOKEN ALERT_WEBHOOK_SECRET GRAFANA_PASSWORD POSTGRES_PASSWORD GRAFANA_DB_PASSWORD)

# Writes a random value for every secret .env lacks (all of them when there is no .env), and
# keeps the values already there: a .env from an older version gains only the new ones.
ensure_env_file() {
  local name added=""
  (
    umask 077
    [[ -f .env ]] || echo "# Written by start-demo.sh; every setting is described in .env.example." >.env
  )
  for name in "${SECRET_SETTINGS[@]}"; do
    [[ -z $(env_value "$name" "") ]] || continue
    # An empty "NAME=" line (as in .env.example) is replaced, not left to shadow the new one.
    (
      umask 077
      grep -v "^$name=\$" .env >.env.new || true
      echo "$name=$(random_secret)" >>.env.new
      mv .env.new .env
    )
    added="$added $name"
  done
  chmod 600 .env # also when an older .env was readable by others
  [[ -z $added ]] || echo "Wrote random secrets into .env (kept for the next runs):$added"
}

# The value of a setting in .env, or the given default. .env is read, never executed.
env_value() {
  local value=""
  if [[ -f .env ]]; then
    value=$(sed -n "s/^$1=//p" .env | tail -n 1)
  fi
  echo "${value:-$2}"
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
  [[ $taken -eq 0 ]] || die "ports needed by the stack are taken (see above)"
}

# Polls `docker compose ps` until every service is healthy (or running, without a healthcheck).
# Progress rewrites one line on a terminal; elsewhere (CI, a pipe) it prints each change once.
wait_until_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT_SECONDS)) rows service state health total ready waiting
  local line shown=""
  while :; do
    rows=$(compose ps --all --format '{{.Service}} {{.State}} {{.Health}}') || die "docker compose ps failed"
    total=0 ready=0 waiting=""
    while read -r service state health; do
      [[ -n $service ]] || continue
      total=$((total + 1))
      case "$state/$health" in
        running/healthy | running/) ready=$((ready + 1)) ;;
        exited/* | dead/* | */unhealthy)
          [[ ! -t 1 ]] || printf '\n'
          die "$service is $state${health:+ ($health)}: see its logs with 'docker compose logs $service'"
          ;;
        *) waiting="$waiting $service" ;;
      esac
    done <<<"$rows"
    [[ $total -gt 0 ]] || die "docker compose started no containers (see 'docker compose ps --all')"
    line="  $ready/$total services healthy${waiting:+ (waiting for:$waiting)}"
    if [[ -t 1 ]]; then
      printf '\r%s   ' "$line"
    elif [[ $line != "$shown" ]]; then
      echo "$line"
    fi
    shown=$line
    if [[ $ready -eq $total ]]; then
      [[ ! -t 1 ]] || printf '\n'
      return 0
    fi
    if [[ $SECONDS -ge $deadline ]]; then
      [[ ! -t 1 ]] || printf '\n'
      die "still waiting for$waiting after ${HEALTH_TIMEOUT_SECONDS}s: see ./start-demo.sh --logs"
    fi
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
  ensure_env_file
  check_ports
  echo "Building and starting the stack (the first build downloads images and takes a few minutes)..."
  compose up -d --build --remove-orphans || die "docker compose up failed (see above)"
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
    *)
      echo "start-demo: unknown option '$action'" >&2
      usage >&2
      exit 2
      ;;
  esac
  if [[ $# -gt 0 && $action != up ]]; then
    echo "start-demo: $action takes no arguments" >&2
    exit 2
  fi

  local problem
  problem=$(docker_problem)
  if [[ -n $problem ]]; then
    [[ $action == up || $action == --reset ]] ||
      die "$problem: there is no Docker stack to ${action#--} (the native runner stops with Ctrl-C)"
    echo "Docker cannot be used: $problem. Starting the native runner instead (Ctrl-C stops it)."
    run_native "$@"
  fi
  [[ $# -eq 0 ]] || die "the options after -- are for the native runner, which is not needed: Docker works here"

  case "$action" in
    up) start_stack ;;
    --down) compose down --remove-orphans ;;
    --reset)
      compose down -v --remove-orphans
      start_stack
      ;;
    --logs) compose logs -f --tail=100 ;;
  esac
}

main "$@"
