/** One field-level validation error, as in the `Problem` schema of @app/api-contract. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error that is safe to show to the client: the central error handler renders it as
 * application/problem+json (RFC 9457). Anything that is not an HttpProblem becomes a bare 500.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly type?: string;
  readonly headers?: Record<string, string>;
  readonly errors?: FieldError[];

  constructor(init: {
    status: number;
    title: string;
    detail?: string;
    type?: string;
    headers?: Record<string, string>;
    errors?: FieldError[];
    /** What really failed (a Cognito or driver error): logged with the problem, never sent. */
    cause?: unknown;
  }) {
    super(init.detail ?? init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HttpProblem';
    this.status = init.status;
    this.title = init.title;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.type !== undefined) this.type = init.type;
    if (init.headers !== undefined) this.headers = init.headers;
    if (init.errors !== undefined) this.errors = init.errors;
  }
}

/** Standard reason phrases used as problem titles. */
export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

function problem(
  status: number,
  detail?: string,
  extra?: Partial<ConstructorParameters<typeof HttpProblem>[0]>,
) {
  return new HttpProblem({
    status,
    title: titleFor(status),
    ...(detail !== undefined ? { detail } : {}),
    ...extra,
  });
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  problem(400, detail, errors ? { errors } : undefined);

/** RFC 6750 §3: the value of WWW-Authenticate for a bearer-token failure. */
export function bearerChallenge(
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request',
  description?: string,
  scope?: string,
) {
  const parts = ['Bearer realm="api"'];
  if (error) parts.push(`error="${error}"`);
  // Quoted-string values must not carry quotes or backslashes (RFC 6750 §3).
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, "'")}"`);
  if (scope) parts.push(`scope="${scope.replace(/["\\]/g, '')}"`);
  return parts.join(', ');
}

/** 401 with an RFC 6750 challenge. `detail` is shown to the client: keep it generic. */
export const unauthorized = (detail: string, opts: { challenge?: string } = {}) =>
  problem(401, detail, {
    headers: { 'www-authenticate': opts.challenge ?? bearerChallenge('invalid_token', detail) },
  });

export const forbidden = (detail: string, opts: { challenge?: string } = {}) =>
  problem(403, detail, opts.challenge ? { headers: { 'www-authenticate': opts.challenge } } : undefined);

export const notFound = (detail = 'The resource does not exist.') => problem(404, detail);
export const conflict = (detail: string) => problem(409, detail);
export const preconditionFailed = (detail: string) => problem(412, detail);

/**
 * The same problem, remembering the infrastructure error behind it, so the error log shows the real
 * cause (AccessDeniedException, ECONNREFUSED, ...) while the response body stays generic.
 */
export function causedBy(p: HttpProblem, cause: unknown): HttpProblem {
  return new HttpProblem({
    status: p.status,
    title: p.title,
    ...(p.detail !== undefined ? { detail: p.detail } : {}),
    ...(p.type !== undefined ? { type: p.type } : {}),
    ...(p.headers !== undefined ? { headers: p.headers } : {}),
    ...(p.errors !== undefined ? { errors: p.errors } : {}),
    cause,
  });
}

export const tooManyRequests = (retryAfterSeconds: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return problem(429, `Too many requests; retry after ${seconds} s.`, {
    headers: { 'retry-after': String(seconds) },
  });
};

export const serviceUnavailable = (detail: string, retryAfterSeconds?: number) =>
  problem(
    503,
    detail,
    retryAfterSeconds ? { headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)) } } : undefined,
  );
