#!/bin/sh
# Runs a command with each <NAME>_FILE of its environment read into NAME: the Docker stack hands
# its secrets to containers as files (docker/stack-secrets.sh), and this puts them where programs
# that read only variables look — Grafana's provisioning ($GRAFANA_DB_PASSWORD,
# $ALERT_WEBHOOK_SECRET), PostgreSQL's init script for Grafana's role, the simulator. Grafana's own
# GF_…__FILE settings are left to Grafana. Usage: secret-files-env.sh <command> [args…]. POSIX sh.
set -eu

for name in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*[A-Za-z0-9]\)_FILE=.*/\1/p'); do
  file="" given=""
  eval "file=\${${name}_FILE} given=\${${name}:-}"
  if [ -n "$given" ]; then
    echo "secret-files-env: both $name and ${name}_FILE are set: set one" >&2
    exit 64
  fi
  if [ ! -r "$file" ]; then
    echo "secret-files-env: ${name}_FILE names $file, which cannot be read" >&2
    exit 66
  fi
  value=$(cat "$file")
  export "$name=$value"
  unset "${name}_FILE"
done
exec "$@"
