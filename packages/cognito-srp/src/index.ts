export {
  type ClientSession,
  computePasswordClaim,
  type PasswordClaim,
  type PasswordClaimInput,
  startClientSession,
} from './client.ts';
export {
  computeDeviceClaim,
  createDeviceSecret,
  type DeviceIdentity,
  type DeviceSecret,
  readDeviceVerifierConfig,
  verifyDeviceClaim,
} from './device.ts';
export { SrpError, SrpInputError, SrpProtocolError } from './errors.ts';
export { g, k, N, N_HEX } from './group.ts';
export { padHex, parseHex } from './hex.ts';
export { modPowBigInt, modPowN } from './modpow.ts';
export { poolNameFromId } from './protocol.ts';
export { secretHash } from './secret-hash.ts';
export {
  assertValidClientPublic,
  createVerifier,
  type ServerSession,
  startServerSession,
  type Verifier,
  type VerifierInput,
  type VerifyClaimInput,
  verifyPasswordClaim,
} from './server.ts';
export { formatTimestamp, parseTimestamp } from './timestamp.ts';
