import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../store/atomic-file.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: { kty: 'RSA'; alg: 'RS256'; use: 'sig'; kid: string; n: string; e: string };
}

/** Access and ID tokens are signed with different keys, as Cognito does (two kids in the JWKS). */
export interface SigningKeys {
  access: SigningKey;
  id: SigningKey;
}

interface KeyFile {
  access: string;
  id: string;
}

/**
 * RSA keys are generated once per data folder on first start and kept there (mode 0600). They are never
 * committed and never shared: each checkout and each test run has its own, see ADR 0017.
 */
export async function loadOrCreateKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, 'keys.json');
  let pems: KeyFile;
  try {
    pems = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const [access, id] = await Promise.all([newPrivatePem(), newPrivatePem()]);
    pems = { access, id };
    await writeFileAtomic(file, JSON.stringify(pems), 0o600);
  }
  return { access: toSigningKey(pems.access), id: toSigningKey(pems.id) };
}

async function newPrivatePem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function toSigningKey(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // RFC 7638 thumbprint as the kid: stable for the key, reveals nothing.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64');
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', alg: 'RS256', use: 'sig', kid, n, e } };
}
