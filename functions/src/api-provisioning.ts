/**
 * The user's row (and, for PreTokenGeneration, plan: ADR 0189) through the API instead of its
 * database (ADR 0155): under `npm start` with the
 * embedded PGlite only the API's process can open the database, so the start wiring gives the
 * function the API's loopback endpoint and a key made for that start. Never set on AWS, where the
 * function reaches Postgres itself.
 */
export interface ProvisioningTarget {
  url: string;
  token: string;
}

export interface ProvisionedUser {
  sub: string;
  username: string;
  email: string | null;
  name: string | null;
}

export function provisioningTarget(env: NodeJS.ProcessEnv = process.env): ProvisioningTarget | undefined {
  const url = env.USER_PROVISIONING_URL?.trim();
  const token = env.USER_PROVISIONING_TOKEN?.trim();
  return url && token ? { url, token } : undefined;
}

class ApiAnswer extends Error {
  constructor(readonly status: number) {
    super(`the API answered ${status}`);
  }
}

/** Worth another try: the API not listening yet or restarting, a time-out, a 5xx or 429 answer. */
export function isTransientApiError(err: unknown): boolean {
  if (err instanceof ApiAnswer) return err.status >= 500 || err.status === 429;
  // fetch reports a refused or reset connection as a TypeError, a time-out as TimeoutError.
  return err instanceof TypeError || (err as Error).name === 'TimeoutError';
}

/** One POST of the row; 204 is done (the API's upsert is idempotent, so a repeat is harmless). */
export async function provisionThroughApi(target: ProvisioningTarget, user: ProvisionedUser): Promise<void> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(user),
    signal: AbortSignal.timeout(1500),
  });
  await res.body?.cancel();
  if (res.status !== 204) throw new ApiAnswer(res.status);
}

/** The user's plan as the API's database has it; null while the user has no row. */
export async function planThroughApi(target: ProvisioningTarget, sub: string): Promise<string | null> {
  const res = await fetch(`${target.url}/${encodeURIComponent(sub)}`, {
    headers: { authorization: `Bearer ${target.token}` },
    signal: AbortSignal.timeout(1500),
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new ApiAnswer(res.status);
  }
  const { plan } = (await res.json()) as { plan: string | null };
  return plan;
}
