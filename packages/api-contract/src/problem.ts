import { type Static, Type } from '@sinclair/typebox';

/**
 * RFC 9457 problem details: every error body of the API (`application/problem+json`). Member names
 * are snake_case like every other body of the API (ADR 0105); RFC 9457's own members are single words.
 */
export const Problem = Type.Object(
  {
    type: Type.String({
      description: 'A URI naming the problem type; "about:blank" when the status says it all.',
    }),
    title: Type.String({ description: "The status code's reason phrase." }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String({ description: 'What went wrong, safe to show to a person.' })),
    instance: Type.Optional(Type.String()),
    /** Field-level validation errors (400): `path` is e.g. `body/accept_terms`. */
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    /** Same as the `x-request-id` response header: quote it to support. */
    request_id: Type.Optional(Type.String()),
  },
  { $id: 'Problem', description: 'application/problem+json (RFC 9457)' },
);
export type Problem = Static<typeof Problem>;
