/** Base class: every error this package throws is an SrpError with a stable `code`. */
export class SrpError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The caller passed something malformed (bad hex, empty salt, bad pool id, bad base64...). */
export class SrpInputError extends SrpError {
  constructor(message: string) {
    super('SRP_INVALID_INPUT', message);
  }
}

/**
 * A value is well-formed but forbidden by SRP-6a (A or B ≡ 0 mod N, u = 0).
 * Accepting it would let the peer force a known session key.
 */
export class SrpProtocolError extends SrpError {
  constructor(message: string) {
    super('SRP_ILLEGAL_PARAMETER', message);
  }
}
