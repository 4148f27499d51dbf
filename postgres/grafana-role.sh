#!/bin/sh
# Runs after init.sql when the Docker stack creates its database volume: gives Grafana's read-only
# role (created by init.sql) the password from GRAFANA_DB_PASSWORD, which compose passes in.
set -eu
: "${GRAFANA_DB_PASSWORD:?GRAFANA_DB_PASSWORD is not set}"
psql -v ON_ERROR_STOP=1 -v password="$GRAFANA_DB_PASSWORD" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
ALTER ROLE shopfast_grafana WITH LOGIN PASSWORD :'password';
SQL
