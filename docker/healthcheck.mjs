// Container health check (Docker HEALTHCHECK / ECS healthCheck): GET /health on this container.
// Plain node, no curl in the slim image. Exit 0 = healthy, 1 = unhealthy.
const port = process.env.HEALTHCHECK_PORT ?? process.env.PORT ?? process.env.IDP_PORT ?? '8000';
const path = process.env.HEALTHCHECK_PATH ?? '/health';
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
