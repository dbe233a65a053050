/**
 * `npx tsx bench/idp.ts`: the local IdP over HTTP with the AWS SDK, side by side in one run:
 * full SRP sign-ins (InitiateAuth + RespondToAuthChallenge), USER_PASSWORD_AUTH sign-ins (scrypt) and
 * token issues (REFRESH_TOKEN_AUTH). The IdP runs as its own process (as `npm run idp` does) so the
 * client's SRP math does not share its event loop. Each case is bounded in time; results are written to
 * bench/results/idp.json.
 */

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretHashParam, srpSignIn as srpSignInTwoSteps } from '@app/cognito-srp/sign-in';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const here = dirname(fileURLToPath(import.meta.url));
const secondsPerCase = Number(process.env.BENCH_SECONDS ?? 3);
const concurrency = 2;
const email = 'bench@example.com';
const password = 'benchmark passphrase';

async function startIdpProcess() {
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-bench-'));
  const usersFile = join(dataDir, 'users.json');
  writeFileSync(usersFile, JSON.stringify([{ email, password }]));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(here, '..', 'apps', 'idp', 'src', 'main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--users',
      usersFile,
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the IdP exited with ${code}: ${out}`)));
  });
  const { pool } = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8'));
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, pool, stop };
}

/** Runs `op` from `concurrency` loops for `seconds`; returns completed operations per second. */
async function measure(name: string, op: () => Promise<unknown>) {
  await op(); // warm-up (and a correctness check: it throws if the flow is broken)
  let done = 0;
  const started = performance.now();
  const until = started + secondsPerCase * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await op();
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    name,
    operations: done,
    seconds: Number(elapsed.toFixed(2)),
    perSecond: Number((done / elapsed).toFixed(1)),
  };
}

async function main() {
  const idp = await startIdpProcess();
  try {
    const cognito = new CognitoIdentityProviderClient({
      region: idp.pool.region,
      endpoint: idp.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const backend = idp.pool.clients.backend as { clientId: string; clientSecret: string };
    const client = { userPoolId: idp.pool.poolId, ...backend };

    const srpSignIn = async () => {
      const done = await srpSignInTwoSteps(cognito, client, email, password);
      if (!done.AuthenticationResult?.AccessToken) throw new Error('SRP sign-in returned no tokens');
      return done.AuthenticationResult;
    };
    const passwordSignIn = async () => {
      const out = await cognito.send(
        new InitiateAuthCommand({
          ClientId: backend.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password, ...secretHashParam(client, email) },
        }),
      );
      if (!out.AuthenticationResult?.AccessToken) throw new Error('password sign-in returned no tokens');
    };
    const first = await srpSignIn();
    const sub = JSON.parse(Buffer.from(first.AccessToken!.split('.')[1]!, 'base64url').toString())
      .sub as string;
    const refresh = async () => {
      const out = await cognito.send(
        new InitiateAuthCommand({
          ClientId: backend.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, ...secretHashParam(client, sub) },
        }),
      );
      if (!out.AuthenticationResult?.AccessToken) throw new Error('refresh returned no tokens');
    };

    const rows = [
      await measure('SRP sign-in (InitiateAuth + RespondToAuthChallenge)', srpSignIn),
      await measure('USER_PASSWORD_AUTH sign-in (scrypt)', passwordSignIn),
      await measure('token issue (REFRESH_TOKEN_AUTH: access + ID token)', refresh),
    ];
    const base = rows[0]!.perSecond;
    const table = rows.map((r) => ({ ...r, 'x SRP sign-in': Number((r.perSecond / base).toFixed(2)) }));
    console.log(
      `\nlocal IdP over HTTP with the AWS SDK v3, ${concurrency} concurrent clients, ~${secondsPerCase}s per case`,
    );
    console.table(table);
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(
      join(here, 'results', 'idp.json'),
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, concurrency, secondsPerCase, results: table }, null, 2)}\n`,
    );
    cognito.destroy();
  } finally {
    await idp.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
