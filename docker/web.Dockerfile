# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
# Web image: the Vite build behind the SPA's one static server (packages/stack, bundled by esbuild into
# web-server.mjs: no node_modules at run time). /config.json comes from WEB_CONFIG_FILE at run time,
# so one image serves every environment; the security headers are the ones CloudFront sends.
# Build from the repo root: docker build -f docker/web.Dockerfile -t web .

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
RUN npm run -w apps/web build && npx tsx docker/bundle.ts web

FROM node:26-bookworm-slim@sha256:e999d087492c7227c85adc70574cf9d3cce774c3e6d7b8dfe473ee6b142c8f2c AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    WEB_ROOT=/app/public
WORKDIR /app
COPY --from=build /src/dist/web/ /app/
COPY --from=build /src/apps/web/dist/ /app/public/
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
CMD ["node", "/app/web-server.mjs"]
