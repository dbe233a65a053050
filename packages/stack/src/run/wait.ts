/**
 * Polls a URL until it answers 2xx (or anything, with anyStatus: a server without a health route),
 * so "ready" is printed only when a part really serves.
 */
export async function waitForHttp(
  url: string,
  opts: { timeoutMs: number; isAlive: () => boolean; anyStatus?: boolean },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!opts.isAlive()) throw new Error(`the process serving ${url} exited before it answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok || opts.anyStatus) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${opts.timeoutMs / 1000}s (${lastError})`);
}
