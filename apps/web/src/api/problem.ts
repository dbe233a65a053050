import type { Problem } from '@app/api-contract';

/** A failed API call. `problem` is the API's problem+json body when it sent one. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Problem | null = null,
  ) {
    super(message);
  }
}

function isProblem(v: unknown): v is Problem {
  const p = v as Partial<Problem> | null;
  return !!p && typeof p === 'object' && typeof p.title === 'string' && typeof p.status === 'number';
}

const fallback: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state. Reload and try again.',
  429: 'Too many requests. Please wait a moment.',
};

/** Builds an ApiError from a non-2xx response, reading application/problem+json when present. */
export async function problemFrom(res: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    const body: unknown = await res.json().catch(() => null);
    if (isProblem(body)) problem = body;
  }
  const message =
    problem?.detail ||
    problem?.title ||
    fallback[res.status] ||
    (res.status >= 500 ? 'The server had a problem. Please try again.' : `Request failed (${res.status}).`);
  return new ApiError(res.status, message, problem);
}
