#!/bin/sh
# The Docker stack's secrets, made by its one-shot `secrets` service before anything else starts
# (docker-compose.yml): one file per secret in the folder given ($1, the volume `secrets`), which
# the other containers read through <NAME>_FILE variables. A secret set in the environment (.env or
# the shell, passed in by compose) is written as given; otherwise the one kept from an earlier start
# stays; otherwise a new random one is made. So a plain `docker compose up` works with no .env and
# no default secret, and `docker compose down -v` (./start-demo.sh --reset) forgets them.
# Prints every secret as NAME=value, then where to sign in: `docker compose logs secrets` shows it,
# and ./start-demo.sh copies the lines into .env for the simulator. POSIX sh (busybox, dash).
set -eu

dir=${1:?usage: stack-secrets.sh <folder for the secret files>}
secret_names="ADMIN_TOKEN ALERT_WEBHOOK_SECRET GRAFANA_PASSWORD POSTGRES_PASSWORD GRAFANA_DB_PASSWORD"

# 128 random bits as 32 hex digits: safe in URLs, provisioning files and Authorization headers.
random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# Replaces the file at once, so a reader never sees half a secret. Readable by every user: the
# containers run as different ones (postgres, grafana, node) and only they mount the volume.
write_secret() {
  printf '%s' "$2" >"$dir/$1.new"
  chmod 644 "$dir/$1.new"
  mv "$dir/$1.new" "$dir/$1"
}

mkdir -p "$dir"
echo "The stack's secrets (kept in the volume shopfast_secrets until 'docker compose down -v'; one set in .env wins):"
for name in $secret_names; do
  eval "given=\${$name:-}"
  if [ -n "$given" ]; then
    value=$given
  elif [ -s "$dir/$name" ]; then
    value=$(cat "$dir/$name")
  else
    value=$(random_secret)
  fi
  write_secret "$name" "$value"
  echo "$name=$value"
done
# The services' connection string holds the password: the compose network's postgres, user and database shopfast.
write_secret DATABASE_URL "postgres://shopfast:$(cat "$dir/POSTGRES_PASSWORD")@postgres:5432/shopfast"

echo "Grafana: http://localhost:${GRAFANA_PORT:-3000} (sign in: admin / $(cat "$dir/GRAFANA_PASSWORD"))"
echo "Shop: http://localhost:${FRONTEND_PORT:-8081}, status page: http://localhost:${FRONTEND_PORT:-8081}/status"
