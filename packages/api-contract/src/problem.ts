import { type Static, Type } from '@sinclair/typebox';

/** RFC 9457 problem details: every error body of the API (`application/problem+json`). */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  /** Field-level validation errors. */
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  requestId: Type.Optional(Type.String()),
});
export type Problem = Static<typeof Problem>;
