import type { Fetcher } from 'aws-jwt-verify/https';
import { isLoopbackUrl } from '../config.ts';

/** JWKS documents are a few KB; refuse anything absurd. */
const MAX_JWKS_BYTES = 256 * 1024;

export class JwksFetchError extends Error {
  override name = 'JwksFetchError';
}

/**
 * JWKS fetcher for aws-jwt-verify: https everywhere, plain http only for loopback hosts (the local IdP,
 * test key servers) and only when allowed by configuration. No retry here: the JWKS cache throttles.
 */
export class LoopbackAwareFetcher implements Fetcher {
  constructor(private readonly opts: { allowHttpLoopback: boolean; timeoutMs?: number }) {}

  async fetch(uri: string): Promise<ArrayBuffer> {
    const url = new URL(uri);
    if (
      url.protocol !== 'https:' &&
      !(url.protocol === 'http:' && this.opts.allowHttpLoopback && isLoopbackUrl(uri))
    ) {
      throw new JwksFetchError(`refusing to fetch JWKS over ${url.protocol} from ${url.host}`);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 3000),
        headers: { accept: 'application/json' },
      });
    } catch (err) {
      throw new JwksFetchError(`JWKS fetch failed: ${(err as Error).message}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new JwksFetchError(`JWKS fetch answered ${res.status}`);
    }
    const body = await res.arrayBuffer();
    if (body.byteLength > MAX_JWKS_BYTES) throw new JwksFetchError('JWKS document too large');
    return body;
  }
}
