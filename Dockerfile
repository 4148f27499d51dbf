# One image for the four ShopFast services (and the simulator). Pick the service with SERVICE:
#   docker run -e SERVICE=payment -p 8082:8082 shopfast-service:0.1.0
# Node 22 is the maintained LTS line; the code also runs (and is tested) on Node 20.
ARG NODE_IMAGE=node:22.23.2-bookworm-slim

# Production dependencies only, installed from the lock file.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# TypeScript → dist/ with the full toolchain; nothing from this stage but dist/ reaches the image.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
COPY simulator ./simulator
COPY scripts ./scripts
COPY grafana/src ./grafana/src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# V8's heap bounded below the containers' limits: old space 64 MiB is 2.2x the highest heap in use
# under load (29 MiB, api) and 3x what a full GC leaves; a 2 MiB young generation and two malloc
# arenas keep RSS near the heap (bench/memory.ts reads this line; bench/RESULTS.md).
ENV NODE_ENV=production NODE_OPTIONS="--max-old-space-size=64 --max-semi-space-size=2" MALLOC_ARENA_MAX=2
WORKDIR /app
# Files stay owned by root: the node user can read the app but not change it.
# package.json carries "type": "module", which the compiled ESM in dist/ needs.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The frontend serves these under /docs (services/frontend/docs-routes.tsx: publishedDocs; a test
# keeps the two lists equal): the alert rules' runbook links point there. Their links to files that
# are not served (CONTRIBUTING.md, WORKSHOP.md, ...) are marked "in the repository" on the page.
COPY README.md TROUBLESHOOTING.md TALK_NOTES.md ./
COPY docker/healthcheck.sh ./docker/healthcheck.sh
USER node
EXPOSE 8080 8081 8082 8083
# exec hands PID 1 to node, which handles SIGTERM itself (flushes logs, closes the server).
ENTRYPOINT ["/bin/sh", "-c", "case \"$SERVICE\" in api|frontend|payment|inventory) exec node \"dist/services/$SERVICE/main.js\" ;; *) echo \"SERVICE must be one of: api, frontend, payment, inventory (got '$SERVICE')\" >&2; exit 64 ;; esac"]
# Healthy when GET /ready answers 200: every dependency answers (PostgreSQL for api, payment and
# inventory), so a service that cannot log in to its database is not reported healthy. The probe is
# bash and /dev/tcp (docker/healthcheck.sh), not `node -e fetch(...)`: measured against a native
# service (Node 20, 2 shared cores), 100 bash probes took 0.29 s of CPU (user+sys, ~3 ms each), 10
# node probes 3.03 s (~0.3 s each, 84 MB RSS per run): four services probed every 5 s cost about
# 2.4 ms/s of CPU instead of a quarter of a core.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD ["bash", "/app/docker/healthcheck.sh"]
