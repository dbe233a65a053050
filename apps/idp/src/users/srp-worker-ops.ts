/**
 * The SRP server math a worker thread runs (ADR 0185): the three costly calls of @app/cognito-srp, by
 * name. Both sides import this table: the worker to run an operation, the pool for its types.
 */
import { startServerSession, verifyDeviceClaim, verifyPasswordClaim } from '@app/cognito-srp';

export const srpOps = {
  /** InitiateAuth / DEVICE_SRP_AUTH: B = k·v + g^b mod N (one modexp with the 256-bit b, ADR 0200). */
  start: startServerSession,
  /** PASSWORD_VERIFIER: the password claim (two modexps, HKDF, HMAC). */
  verifyPassword: verifyPasswordClaim,
  /** DEVICE_PASSWORD_VERIFIER: the device's claim, the same math in the device group's realm. */
  verifyDevice: verifyDeviceClaim,
};

export type SrpOp = keyof typeof srpOps;
export type SrpOpInput<K extends SrpOp> = Parameters<(typeof srpOps)[K]>[0];
export type SrpOpResult<K extends SrpOp> = ReturnType<(typeof srpOps)[K]>;

/** pool → worker */
export interface SrpRequest {
  id: number;
  op: string;
  input: unknown;
}

/** worker → pool; `error` carries the class name so SrpError subclasses survive the thread hop. */
export type SrpReply =
  | { id: number; threadId: number; value: unknown }
  | { id: number; threadId: number; error: { name: string; message: string } };
