# syntax=docker/dockerfile:1.7
# Web image: the Vite build behind a dependency-free node:http static server (docker/web-server.mjs).
# /config.json comes from WEB_CONFIG_FILE at run time, so one image serves every environment.
# Build from the repo root: docker build -f docker/web.Dockerfile -t web .

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
RUN npm run -w apps/web build

FROM node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7 AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    WEB_ROOT=/app/public
WORKDIR /app
COPY docker/web-server.mjs docker/static-request.mjs docker/healthcheck.mjs /app/
COPY --from=build /src/apps/web/dist/ /app/public/
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
CMD ["node", "/app/web-server.mjs"]
