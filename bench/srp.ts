/**
 * SRP cost, side by side in one run: 3072-bit modular exponentiation four ways, then the full
 * client claim and server verify of @app/cognito-srp against the library's own (jsbn) client.
 * Rows of a table are measured in interleaved rounds so machine noise hits them alike.
 * Run: npx tsx bench/srp.ts   (about 8 s on 2 cores; writes bench/results/srp.json)
 */
import { createDiffieHellman, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computePasswordClaim,
  createVerifier,
  modPowBigInt,
  modPowN,
  N,
  startClientSession,
  startServerSession,
  verifyPasswordClaim,
} from '@app/cognito-srp';

const require = createRequire(import.meta.url);

interface Row {
  name: string;
  run: () => void;
  /** at most this many calls per round (for very slow rows) */
  maxPerRound?: number;
  /** very slow: no warm-up, measured in the first round only */
  once?: boolean;
}

interface Result {
  name: string;
  calls: number;
  ms: number;
}

/** Round-robin over rows: each round gives each row ~roundMs (at least one call). */
function measure(rows: Row[], rounds: number, roundMs: number): Result[] {
  const results = rows.map((r) => ({ name: r.name, calls: 0, ms: 0 }));
  for (const row of rows) if (!row.once) row.run(); // warm-up
  for (let round = 0; round < rounds; round++) {
    rows.forEach((row, i) => {
      if (row.once && round > 0) return;
      const start = performance.now();
      let calls = 0;
      do {
        row.run();
        calls++;
      } while (performance.now() - start < roundMs && calls < (row.maxPerRound ?? Infinity));
      results[i]!.calls += calls;
      results[i]!.ms += performance.now() - start;
    });
  }
  return results;
}

const report: Record<
  string,
  Array<{ variant: string; msPerOp: number; opsPerSec: number; ratio: number }>
> = {};

function print(title: string, results: Result[]): void {
  const base = results[0]!;
  const perSec = (r: Result) => (r.calls * 1000) / r.ms;
  console.log(`\n${title}`);
  report[title] = results.map((r) => ({
    variant: r.name,
    msPerOp: r.ms / r.calls,
    opsPerSec: perSec(r),
    ratio: perSec(r) / perSec(base),
  }));
  console.table(
    results.map((r) => ({
      variant: r.name,
      'ms/op': (r.ms / r.calls).toFixed(2),
      'ops/s': perSec(r).toFixed(1),
      [`vs ${base.name}`]: `${(perSec(r) / perSec(base)).toFixed(3)}x`,
      calls: r.calls,
    })),
  );
}

const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
const toBuf = (x: bigint) => {
  const hex = x.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
};
const base = random(384) % N;
const exp3072 = random(384);
const exp1024 = random(128);

const jsbn = (
  require('amazon-cognito-identity-js/lib/BigInteger.js') as {
    default: new (s: string, r: number) => JsbnInt;
  }
).default;
interface JsbnInt {
  modPow(e: JsbnInt, m: JsbnInt, cb: (err: unknown, r: JsbnInt) => void): void;
}
const jsbnBase = new jsbn(base.toString(16), 16);
const jsbnExp = new jsbn(exp1024.toString(16), 16);
const jsbnN = new jsbn(N.toString(16), 16);

print(
  '3072-bit modexp, 3072-bit exponent',
  measure(
    [
      { name: 'OpenSSL (cached DH, computeSecret)', run: () => modPowN(base, exp3072) },
      { name: 'native BigInt', run: () => modPowBigInt(base, exp3072, N) },
    ],
    3,
    200,
  ),
);

print(
  '3072-bit modexp, 1024-bit exponent (SRP a, b)',
  measure(
    [
      { name: 'OpenSSL (cached DH, computeSecret)', run: () => modPowN(base, exp1024) },
      { name: 'native BigInt', run: () => modPowBigInt(base, exp1024, N) },
      {
        name: 'jsbn (amazon-cognito-identity-js)',
        run: () => jsbnBase.modPow(jsbnExp, jsbnN, () => {}),
        maxPerRound: 1,
      },
      {
        // The naive route: a new DH object per base. Node's constructor primality-checks a
        // non-standard generator, which is why modpow.ts keeps one g=2 context instead.
        name: 'new createDiffieHellman(N, base) each call',
        run: () => {
          const dh = createDiffieHellman(toBuf(N), toBuf(base));
          dh.setPrivateKey(toBuf(exp1024));
          dh.generateKeys();
        },
        once: true,
      },
    ],
    3,
    150,
  ),
);

const poolId = 'us-east-1_Bench1234';
const userIdForSrp = 'bench-user';
const password = 'bench password 1';
const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
const secretBlockB64 = randomBytes(64).toString('base64');
const client = startClientSession();
const serverSession = startServerSession(verifierHex);
const claim = computePasswordClaim({
  poolId,
  userIdForSrp,
  password,
  saltHex,
  srpBHex: serverSession.B,
  secretBlockB64,
  session: client,
});
const verifyInput = {
  poolId,
  userIdForSrp,
  verifierHex,
  AHex: client.A,
  serverSession,
  secretBlockB64,
  ...claim,
};
if (!verifyPasswordClaim(verifyInput)) throw new Error('bench setup: claim not accepted');

/** The library's client claim, driven as CognitoUser does (its jsbn callbacks run synchronously). */
const lib = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (
    poolName: string,
  ) => {
    getLargeAValue(cb: (err: unknown, A: unknown) => void): void;
    getPasswordAuthenticationKey(
      u: string,
      p: string,
      B: unknown,
      salt: unknown,
      cb: (e: unknown, k: Buffer) => void,
    ): void;
  };
};
function libraryClientClaim(): void {
  const helper = new lib.AuthenticationHelper(poolId.split('_')[1]!); // computes A
  helper.getPasswordAuthenticationKey(
    userIdForSrp,
    password,
    new jsbn(serverSession.B, 16),
    new jsbn(saltHex, 16),
    (_err, key) => {
      createHmac('sha256', key).update(secretBlockB64).digest('base64');
    },
  );
}

print(
  'SRP steps (this package)',
  measure(
    [
      { name: 'server verifyPasswordClaim', run: () => verifyPasswordClaim(verifyInput) },
      { name: 'server startServerSession', run: () => startServerSession(verifierHex) },
      {
        name: 'client computePasswordClaim',
        run: () =>
          computePasswordClaim({
            poolId,
            userIdForSrp,
            password,
            saltHex,
            srpBHex: serverSession.B,
            secretBlockB64,
            session: client,
          }),
      },
      { name: 'client startClientSession', run: () => startClientSession() },
      { name: 'createVerifier (sign-up)', run: () => createVerifier({ poolId, userIdForSrp, password }) },
      { name: 'library client claim (jsbn, incl. A)', run: libraryClientClaim, maxPerRound: 1 },
    ],
    3,
    120,
  ),
);

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'srp.json'),
  `${JSON.stringify({ at: new Date().toISOString(), report }, null, 2)}\n`,
);
