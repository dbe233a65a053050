# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
# API image: esbuild bundle on a slim Node runtime, no npm and no dev dependencies at run time.
# Build from the repo root: docker build -f docker/api.Dockerfile -t api .

# Node 26 (the Active LTS since 2026-10-28; ADR 0225), pinned by digest: the multi-arch index
# docker-library/repo-info lists for node:26-bookworm-slim (26.5.0). Dependabot proposes newer
# digests (.github/dependabot.yml); move the version in parentheses with the digest: the production
# rehearsal runs the bundles on exactly that Node (infra/test/image-node.ts).
FROM node:26-bookworm-slim@sha256:e999d087492c7227c85adc70574cf9d3cce774c3e6d7b8dfe473ee6b142c8f2c AS build
WORKDIR /src
# Manifests first so `npm ci` stays cached until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/ packages/
COPY apps/ apps/
COPY infra/package.json infra/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
COPY functions/package.json functions/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY docker/ docker/
RUN npx tsx docker/bundle.ts api

FROM node:26-bookworm-slim@sha256:e999d087492c7227c85adc70574cf9d3cce774c3e6d7b8dfe473ee6b142c8f2c AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem \
    NODE_OPTIONS=--enable-source-maps
# RDS presents certificates from its own CA: DATABASE_URL uses sslmode=verify-full against it.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
WORKDIR /app
# Code is owned by root and read-only to the process; only /data is writable.
COPY --from=build /src/dist/api/ /app/
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
CMD ["node", "/app/main.mjs"]
