#!/bin/sh
# Grafana's entrypoint on the Docker stack: copy the provisioning, write the port the shop is
# published on (FRONTEND_PORT in .env) into the alert rules' runbook links, then run the image's own
# /run.sh (or the command given) on the copy. Grafana 12 takes a provisioned rule's annotations as
# written, environment variables and the rule's own labels unexpanded (grafana/src/runbook.ts), so
# the port has to be in the file. Only the laptop address http://localhost:8081/ changes (not, say,
# the webhook's http://frontend:8081, which is the shop inside the compose network).
set -eu

frontend_port=${FRONTEND_PORT:-8081}
case $frontend_port in
  '' | *[!0-9]* | 0*) frontend_port=invalid ;;
esac
if [ "$frontend_port" = invalid ] || [ "$frontend_port" -gt 65535 ]; then
  echo "shopfast: FRONTEND_PORT=${FRONTEND_PORT} is not a port (a whole number 1-65535): fix it in .env" >&2
  exit 64
fi

source_dir=${GF_PATHS_PROVISIONING:-/etc/grafana/provisioning}
copy_dir=${TMPDIR:-/tmp}/shopfast-provisioning
# A fresh copy on every start: a restarted container must not keep an older .env's port.
rm -rf "$copy_dir"
cp -R "$source_dir" "$copy_dir"
for rules in "$source_dir"/alerting/*.yaml; do
  [ -f "$rules" ] || continue
  copy="$copy_dir/alerting/${rules##*/}"
  rm -f "$copy"
  sed "s#http://localhost:8081/#http://localhost:${frontend_port}/#g" "$rules" >"$copy"
done

export GF_PATHS_PROVISIONING="$copy_dir"
[ "$#" -gt 0 ] || set -- /run.sh
exec "$@"
