import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * A moment on the IdP's clock (ADR 0070): the whole second its response's `Date` header names, and
 * when (monotonic ms) we received that response. Tokens' `iat` come from the same clock, so cut-offs
 * compare like with like instead of mixing the IdP's clock with ours.
 */
export interface IdpMoment {
  second: number;
  receivedAt: number;
  /** False when the response had no usable `Date` and our own clock stood in. */
  fromIdp: boolean;
}

const moments = new WeakMap<object, IdpMoment>();
const MIDDLEWARE = 'idpDateHeader';

/** Records the `Date` of every successful response of this client, for `idpMomentOf(output)`. */
export function recordIdpDates(cognito: CognitoIdentityProviderClient): void {
  if (cognito.middlewareStack.identify().some((m) => m.startsWith(MIDDLEWARE))) return;
  cognito.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string | undefined> }).headers;
      const ms = Date.parse(headers?.date ?? '');
      const receivedAt = performance.now();
      if (result.output && typeof result.output === 'object') {
        moments.set(
          result.output,
          Number.isFinite(ms)
            ? { second: Math.floor(ms / 1000), receivedAt, fromIdp: true }
            : { second: Math.floor(Date.now() / 1000), receivedAt, fromIdp: false },
        );
      }
      return result;
    },
    // High priority: outside the deserializer, so the parsed output exists when this runs.
    { step: 'deserialize', priority: 'high', name: MIDDLEWARE },
  );
}

/** The IdP's moment of a response received through a client set up with `recordIdpDates`. */
export function idpMomentOf(output: object): IdpMoment {
  return (
    moments.get(output) ?? {
      second: Math.floor(Date.now() / 1000),
      receivedAt: performance.now(),
      fromIdp: false,
    }
  );
}

/** Timers may fire a millisecond early; never answer before the IdP's second has really turned. */
const MARGIN_MS = 15;

/**
 * Resolves once the IdP's clock is past `cutoff` (a second that is refused inclusively), judged from
 * `moment`: at `receivedAt` the IdP's clock read at least `moment.second`. At most about a second.
 */
export async function waitPastIdpSecond(cutoff: number, moment: IdpMoment): Promise<void> {
  const ms = (cutoff + 1 - moment.second) * 1000 + MARGIN_MS - (performance.now() - moment.receivedAt);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 2_000)));
}
