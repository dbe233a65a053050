import {
  AuthenticationHelper,
  BigInteger,
  call,
  DateHelper,
  type LibAuthenticationHelper,
  type LibBigInteger,
  Sha256,
} from './library.ts';

/**
 * Drives the real library the way CognitoUser.authenticateUserDefaultAuth does: SRP_A from
 * getLargeAValue, then getPasswordAuthenticationKey with the challenge, then the library's
 * HMAC-SHA256 over poolName + USER_ID_FOR_SRP + SECRET_BLOCK + DateHelper's TIMESTAMP.
 */
export async function libraryStart(
  poolId: string,
): Promise<{ helper: LibAuthenticationHelper; srpA: string }> {
  const helper = new AuthenticationHelper(poolId.split('_')[1]!);
  const A = await call<LibBigInteger>((cb) => helper.getLargeAValue(cb));
  return { helper, srpA: A.toString(16) };
}

/** A library helper whose secret a is ours (its A is recomputed by the library itself). */
export async function libraryStartWithA(
  poolId: string,
  aHex: string,
): Promise<{ helper: LibAuthenticationHelper; srpA: string }> {
  const helper = new AuthenticationHelper(poolId.split('_')[1]!);
  helper.smallAValue = new BigInteger(aHex, 16);
  helper.largeAValue = undefined;
  const A = await call<LibBigInteger>((cb) => helper.getLargeAValue(cb));
  return { helper, srpA: A.toString(16) };
}

export interface LibraryChallenge {
  poolId: string;
  userIdForSrp: string;
  password: string;
  saltHex: string;
  srpBHex: string;
  secretBlockB64: string;
}

export async function libraryClaim(
  helper: LibAuthenticationHelper,
  c: LibraryChallenge,
): Promise<{ signatureB64: string; timestamp: string }> {
  const poolName = c.poolId.split('_')[1]!;
  const hkdf = await call<Buffer>((cb) =>
    helper.getPasswordAuthenticationKey(
      c.userIdForSrp,
      c.password,
      new BigInteger(c.srpBHex, 16),
      new BigInteger(c.saltHex, 16),
      cb,
    ),
  );
  const timestamp = new DateHelper().getNowString();
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(c.userIdForSrp, 'utf8'),
    Buffer.from(c.secretBlockB64, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  const hmac = new Sha256(hkdf);
  hmac.update(message);
  return { signatureB64: Buffer.from(hmac.digestSync()).toString('base64'), timestamp };
}
