# One Node service: build in one stage, run only `.output` in the next.
# The build and the runtime must use the same Node major (better-sqlite3 is a native addon).

FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles with node-gyp when no prebuilt binary downloads. Unpinned on purpose (linters
# flag it): Debian's security updates replace these versions, and this stage is thrown away.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NUXT_TELEMETRY_DISABLED=1
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 NUXT_DATABASE_URL=sqlite:/data/auth.sqlite
WORKDIR /app
# Never root: the app owns only its data folder.
RUN groupadd --system app && useradd --system --gid app --home /app app && mkdir /data && chown app:app /data
COPY --from=build --chown=app:app /app/.output ./.output
USER app
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", ".output/server/index.mjs"]
