# syntax=docker/dockerfile:1
# Mirrors the README: `npm ci`, `npm run build`, then `npm run start:prod` (node dist/server.js) on
# the embedded database in /data, unless DATABASE_URL (and ENCRYPTION_KEY) are given.
# Several instances on PostgreSQL: config/compose.yaml.

# 1. Build: every dependency (TypeScript and the other dev tools), then dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# 2. Production dependencies only, installed on their own rather than pruned from the build's
#    node_modules (which would keep whatever the build step left behind). --ignore-scripts: no
#    install script runs; the only ones are esbuild's check (tsx, for `npm start`, not used here;
#    the benchmark's sqlite3 is no dependency: `npm run bench` installs it on demand).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime: dist/ (with its migrations and assets, see scripts/copy-assets.js), views/ where
#    dist/ looks for them (../views), production node_modules; run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The operator CLI in the container: `node dist/cli.js …` (e.g. `docker compose exec tool node dist/cli.js keys rotate`).
CMD ["node", "dist/server.js"]
