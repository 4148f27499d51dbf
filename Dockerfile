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
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the node user can read the app but not change it.
# package.json carries "type": "module", which the compiled ESM in dist/ needs.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The frontend serves these under /docs: the alert rules' runbook links point there.
COPY README.md TROUBLESHOOTING.md TALK_NOTES.md ./
USER node
EXPOSE 8080 8081 8082 8083
# exec hands PID 1 to node, which handles SIGTERM itself (flushes logs, closes the server).
ENTRYPOINT ["/bin/sh", "-c", "case \"$SERVICE\" in api|frontend|payment|inventory) exec node \"dist/services/$SERVICE/main.js\" ;; *) echo \"SERVICE must be one of: api, frontend, payment, inventory (got '$SERVICE')\" >&2; exit 64 ;; esac"]
# No curl in slim images: node's fetch asks the service's own /health (PORT, else the service's default port).
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "const p=process.env.PORT||{api:8080,frontend:8081,payment:8082,inventory:8083}[process.env.SERVICE];fetch('http://127.0.0.1:'+p+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
