/**
 * One bench client process for bench/idp.ts (started by `startSignInClients`): it runs sign-in loops
 * against an IdP when asked over IPC and answers how many finished. The client's SRP math and the AWS
 * SDK's work then run in processes of their own, so one bench process's event loop is not the limit
 * the bench measures; they still share the machine's cores with the IdP.
 */
import { secretHashParam, srpSignIn } from '@app/cognito-srp/sign-in';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

export interface SignInTarget {
  url: string;
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
}

export interface SignInJob {
  id: number;
  target: SignInTarget;
  flow: 'srp' | 'password';
  password: string;
  /** One loop per e-mail, each signing in as that user until `seconds` have passed (at least once). */
  emails: string[];
  seconds: number;
}

export interface SignInAnswer {
  id: number;
  done: number;
  error?: string;
}

const clients = new Map<string, CognitoIdentityProviderClient>();

function cognitoFor(t: SignInTarget) {
  let c = clients.get(t.url);
  if (!c) {
    c = new CognitoIdentityProviderClient({
      region: t.region,
      endpoint: t.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.set(t.url, c);
  }
  return c;
}

async function signIn(job: SignInJob, email: string): Promise<void> {
  const cognito = cognitoFor(job.target);
  const { url: _url, region: _region, ...client } = job.target;
  if (job.flow === 'srp') {
    const done = await srpSignIn(cognito, client, email, job.password);
    if (!done.AuthenticationResult?.AccessToken) throw new Error('SRP sign-in returned no tokens');
    return;
  }
  const out = await cognito.send(
    new InitiateAuthCommand({
      ClientId: client.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: job.password, ...secretHashParam(client, email) },
    }),
  );
  if (!out.AuthenticationResult?.AccessToken) throw new Error('password sign-in returned no tokens');
}

async function run(job: SignInJob): Promise<SignInAnswer> {
  let done = 0;
  const until = performance.now() + job.seconds * 1000;
  try {
    await Promise.all(
      job.emails.map(async (email) => {
        do {
          await signIn(job, email);
          done++;
        } while (performance.now() < until);
      }),
    );
    return { id: job.id, done };
  } catch (err) {
    return { id: job.id, done, error: err instanceof Error ? err.message : String(err) };
  }
}

process.on('message', (job: SignInJob | 'exit') => {
  if (job === 'exit') {
    for (const c of clients.values()) c.destroy();
    process.disconnect();
    return;
  }
  void run(job).then((answer) => process.send!(answer));
});
