import { Problem } from '@app/api-contract';

/** OpenAPI: routes behind a guard declare the bearer scheme that api-core's swagger plugin defines. */
export const security = [{ bearerAuth: [] as string[] }];

/** What each error status means on this API; every one is an application/problem+json body. */
const PROBLEM_MEANINGS = {
  400: 'The request is invalid: `detail` says why, `errors` names each field (`path`, `message`).',
  401: 'No bearer token, or one that is invalid, expired or revoked; `WWW-Authenticate` carries the RFC 6750 challenge. On `/auth/login` and `/auth/refresh`: wrong credentials or a dead refresh token.',
  403: 'Signed in, but not allowed: a group or scope is missing (`WWW-Authenticate: error="insufficient_scope"`), or the account must verify its e-mail or reset its password first.',
  404: 'No such resource, or one that belongs to someone else (the two answer alike, ADR 0040).',
  409: 'The change conflicts with the current state (e.g. the last enabled admin).',
  412: 'The `If-Match` version is stale: read the resource again and retry.',
  413: 'The request body is too large (for an attachment upload: the declared file is).',
  415: 'The request body is not `application/json` (for an attachment upload: the file type is not allowed).',
  422: 'An uploaded attachment does not match its declared size or type; it was deleted.',
  429: 'Too many requests: wait the `Retry-After` seconds.',
  500: 'An unexpected error; quote `request_id` when reporting it.',
  502: 'The identity provider refused a request it should have accepted.',
  503: 'Overloaded, or a backing service (identity provider, database, Redis, signing keys) is unavailable: retry after `Retry-After` seconds.',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_MEANINGS;

/**
 * Response schemas for the error statuses a route can answer, for `schema.response`. /docs shows each
 * with the Problem body, and the same schema serialises the error handler's body for that status.
 */
type ProblemResponse = {
  description: string;
  content: { 'application/problem+json': { schema: typeof Problem } };
};

/**
 * The shared `Problem` schema (added once by the swagger plugin), by reference: /docs shows one named
 * component instead of a copy per response, and the serialiser resolves the same schema. Typed as the
 * schema it points to, so the type provider still knows the body's shape.
 */
export const problemRef = { $ref: `${Problem.$id}#` } as unknown as typeof Problem;

export function problems<S extends ProblemStatus>(...statuses: readonly S[]): Record<S, ProblemResponse> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_MEANINGS[status],
        content: { 'application/problem+json': { schema: problemRef } },
      },
    ]),
  ) as unknown as Record<S, ProblemResponse>;
}

/** Statuses shared by route families; a route adds its own (404, 409, 412...) to these. */
export const PROBLEMS = {
  /** Anything: our bug, or load shed / a backing service down. */
  always: [500, 503],
  /** A route with a JSON body: invalid, too large, not JSON. */
  body: [400, 413, 415],
  /** A route behind requireUser/requireGroups. */
  signedIn: [401],
  /** A route that calls the identity provider. */
  idp: [429, 502, 503],
} as const satisfies Record<string, readonly ProblemStatus[]>;

/**
 * A success without a body, for `schema.response`: /docs shows what the 204 means. A plain JSON schema,
 * not TypeBox, so the route's `reply.send()` takes no payload (the type provider reads it as unknown).
 */
export const noContent = (description: string) => ({ 204: { description, type: 'null' } as const });
