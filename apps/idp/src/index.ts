export type { PoolInfo, SeedUser } from './bootstrap.ts';
export type { Clock } from './clock.ts';
export { type RunningIdp, type StartIdpOptions, startIdp } from './idp.ts';
export { CognitoError } from './protocol/errors.ts';
