# The power monitor in one container: `node dist/main.js` with SQLite on the /app/data volume, or
# with DATABASE_URL on PostgreSQL (then nothing is kept in /app/data, and several containers may run).
# Node 22 LTS (Node 20 is past end-of-life; the code runs on both). Debian bookworm, not Alpine:
# @napi-rs/canvas ships glibc binaries in its npm package, so no Cairo or other system libraries.

# ---- build: compile native modules and TypeScript, then drop development dependencies ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Dependencies first: this layer is reused until package*.json change.
COPY package.json package-lock.json ./
# node-gyp uses the image's own Node headers when present instead of downloading them.
RUN if [ -f /usr/local/include/node/common.gypi ]; then export npm_config_nodedir=/usr/local; fi \
 && npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund
# better-sqlite3 needs only its lib/ and the compiled build/Release/better_sqlite3.node at run
# time: drop the compiler's objects, the SQLite and C++ sources and the test extension (~27 MB),
# then load the module and run a query, so a prune that went too far fails the build, not the start.
RUN cd node_modules/better-sqlite3 \
 && test -f build/Release/better_sqlite3.node \
 && mv build/Release/better_sqlite3.node /tmp/better_sqlite3.node \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/better_sqlite3.node \
 && cd /app \
 && node -e "const D = require('better-sqlite3'); const db = new D(':memory:'); if (db.prepare('SELECT 1 AS ok').get().ok !== 1) process.exit(1)"

# ---- runtime: only what `node dist/main.js` needs ----
FROM node:22-bookworm-slim
WORKDIR /app
# jemalloc instead of glibc's malloc: the render worker (ECharts + Skia) stops when idle, and glibc
# keeps what that thread freed; jemalloc gives it back (npm run bench:memory -- --diagrams 100:
# ~160 → ~125 MiB idle at 10,000 places, peak under load ~172 → ~144 MiB). The name without a
# path is found by the dynamic loader on amd64 and arm64 alike.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_PATH=/app/data/monitor.db \
    PORT=8080 \
    LD_PRELOAD=libjemalloc.so.2
# Code stays owned by root (the service cannot rewrite itself); only the data folder is the
# service's. The layout matters: dist/i18n/*.js finds its texts at ../../locales = /app/locales.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY locales ./locales
# The browser flasher (/flash): ESP Web Tools comes with node_modules (a production dependency);
# the firmware release is read from FIRMWARE_DIR, by default this folder: put the release's
# manifest.json and image in firmware/release/ before building, or point FIRMWARE_DIR at a folder
# on the data volume (e.g. /app/data/firmware) and drop them there without rebuilding.
COPY firmware/release ./firmware/release
# Created and chowned before VOLUME: a fresh Docker named volume copies this ownership.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
# No USER here: dist/container-start.js starts as root only to give the data folder to `node`
# (a fresh fly.io volume is owned by root), then drops root before the service's code runs.
EXPOSE 8080
# No curl in the slim image: Node's own fetch asks /health (200 when the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form, node itself (no npm, no rebuild at start): node is PID 1 and gets
# SIGTERM (container-start.js gives the data folder to `node`, drops root, then runs main.js); main.ts finishes requests in flight and closes the database, and exits by itself after
# 10 s at most (so give it 15 s: `docker run --stop-timeout 15`, `kill_timeout = 15` in fly.toml).
STOPSIGNAL SIGTERM
# --max-semi-space-size=4: V8's young generation otherwise grows to 32 MB and stays there, a
# fifth of the service's memory (npm run bench:memory: ~135 → ~97 MiB idle at 10,000 places).
CMD ["node", "--max-semi-space-size=4", "dist/container-start.js"]
