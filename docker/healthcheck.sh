#!/usr/bin/env bash
# The services' container healthcheck (Dockerfile HEALTHCHECK): healthy when GET /ready on the
# service's own port answers 200, that is when every dependency answers (PostgreSQL for api,
# payment and inventory; see services/kit/routes/health.ts). Plain bash and its /dev/tcp: no
# node process per probe (CPU figures in the Dockerfile). On failure it prints the answer, which
# names the failing dependency (docker inspect --format '{{json .State.Health}}' <container>).
set -u

port=${PORT:-}
if [[ -z $port ]]; then
  # The services' default ports, as domain/services.ts (a test keeps the two equal).
  case ${SERVICE:-} in
    api) port=8080 ;;
    frontend) port=8081 ;;
    payment) port=8082 ;;
    inventory) port=8083 ;;
    *)
      echo "SERVICE must be one of: api, frontend, payment, inventory (got '${SERVICE:-}')"
      exit 1
      ;;
  esac
fi

exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
# Status line: HTTP/1.1 200 OK
read -r -t 3 _ status _ <&3 || {
  echo "no answer from 127.0.0.1:$port/ready"
  exit 1
}
[[ $status == 200 ]] && exit 0
# The body, after the headers, says which dependency failed.
while IFS= read -r -t 3 line && [[ -n ${line%$'\r'} ]]; do :; done <&3
IFS= read -r -t 3 -d '' body <&3
echo "GET /ready answered $status: ${body:-}"
exit 1
