# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
# Local IdP image for compose and tests only: never deployed to AWS (production uses Cognito).
# Build from the repo root: docker build -f docker/idp.Dockerfile -t idp .

# Node 26 (the Active LTS since 2026-10-28; ADR 0225), pinned by digest: the multi-arch index
# docker-library/repo-info lists for node:26-bookworm-slim (26.5.0). Dependabot proposes newer
# digests (.github/dependabot.yml); move the version in parentheses with the digest: the production
# rehearsal runs the bundles on exactly that Node (infra/test/image-node.ts).
FROM node:26-bookworm-slim@sha256:e999d087492c7227c85adc70574cf9d3cce774c3e6d7b8dfe473ee6b142c8f2c AS build
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

FROM node:26-bookworm-slim@sha256:e999d087492c7227c85adc70574cf9d3cce774c3e6d7b8dfe473ee6b142c8f2c AS runtime
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
