# syntax=docker/dockerfile:1.7
# Local IdP image for compose and tests only: never deployed to AWS (production uses Cognito).
# Build from the repo root: docker build -f docker/idp.Dockerfile -t idp .

# Node 24 (LTS), pinned by digest: the multi-arch index docker-library/repo-info lists for
# node:24-bookworm-slim (24.18.1). Dependabot proposes newer digests (.github/dependabot.yml).
FROM node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7 AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/ packages/
COPY apps/ apps/
COPY infra/package.json infra/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
COPY functions/package.json functions/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY docker/ docker/
RUN npx tsx docker/bundle.ts idp

FROM node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7 AS runtime
# Loopback by default (ADR 0076): the IdP's admin operations have no real authentication. Compose runs
# it on the host network, where loopback is the host's. To publish a port from a bridged container
# instead, opt in: -e IDP_HOST=0.0.0.0 -e IDP_ALLOW_REMOTE=1 -p 127.0.0.1:9339:9339.
# IDP_CORS_ORIGINS lists the SPA's origins (comma-separated); none by default.
ENV NODE_ENV=production \
    IDP_HOST=127.0.0.1 \
    IDP_PORT=9339 \
    IDP_DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/dist/idp/ /app/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9339
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
CMD ["node", "/app/main.mjs"]
