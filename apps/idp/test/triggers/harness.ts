import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { plainTriggers } from '../../src/triggers/lambda-config.ts';
import type { FunctionTarget, Handler } from '../../src/triggers/targets.ts';
import { startTestIdp, type TestIdp, uniqueEmail } from '../helpers.ts';

// The pool's trigger slots, as LambdaConfig names them (KMSKeyID is a key, not a trigger).
export const triggerNames = plainTriggers.filter(
  (t): t is Exclude<(typeof plainTriggers)[number], 'KMSKeyID'> => t !== 'KMSKeyID',
);
export type Trigger = (typeof triggerNames)[number];

export const arnOf = (t: Trigger) => `arn:aws:lambda:us-east-1:123456789012:function:local-${t}`;

// biome-ignore lint/suspicious/noExplicitAny: trigger events are any-shaped
export type Event = any;

export interface TriggerIdp extends TestIdp {
  poolId: string;
  clientId: string;
  /** Every event each trigger received, oldest first (a copy, as the handler got it). */
  events: Record<Trigger, Event[]>;
  /** What each trigger does next; default: answer the event unchanged. */
  on(trigger: Trigger, fn: (event: Event) => unknown): void;
  /** Points the pool at exactly these triggers (UpdateUserPool), with a pre-token version. */
  configure(
    triggers: Trigger[],
    opts?: { preTokenVersion?: 'V1_0' | 'V2_0' | 'V3_0'; developerEmail?: boolean },
  ): Promise<void>;
  reset(): void;
}

/**
 * A test IdP whose functions are inline handlers recording their events, and a fresh e-mail-username
 * pool with a public client (password and SRP and custom auth flows) to run the triggers against.
 */
export async function startTriggerIdp(
  opts: { triggerTimeoutMs?: number; functions?: Map<string, FunctionTarget> } = {},
): Promise<TriggerIdp> {
  const behaviour = new Map<Trigger, (event: Event) => unknown>();
  const events = Object.fromEntries(triggerNames.map((t) => [t, [] as Event[]])) as Record<Trigger, Event[]>;
  const functions = new Map<string, FunctionTarget>(opts.functions);
  for (const t of triggerNames) functions.set(`local-${t}`, { handler: inline(t) });
  function inline(t: Trigger): Handler {
    return async (event) => {
      events[t].push(structuredClone(event));
      const fn = behaviour.get(t);
      return fn ? await fn(event) : event;
    };
  }
  const t = await startTestIdp({ functions, triggerTimeoutMs: opts.triggerTimeoutMs });
  const base = {
    AutoVerifiedAttributes: ['email' as const],
    Policies: { PasswordPolicy: { MinimumLength: 8 } },
  };
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({ PoolName: 'triggers', UsernameAttributes: ['email'], ...base }),
  );
  const poolId = UserPool!.Id!;
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_CUSTOM_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      ],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  return {
    ...t,
    poolId,
    clientId: UserPoolClient!.ClientId!,
    events,
    on: (trigger, fn) => behaviour.set(trigger, fn),
    async configure(triggers, o = {}) {
      const LambdaConfig: LambdaConfigType = {};
      for (const name of triggers) {
        if (name === 'PreTokenGeneration')
          LambdaConfig.PreTokenGenerationConfig = {
            LambdaArn: arnOf(name),
            LambdaVersion: o.preTokenVersion ?? 'V1_0',
          };
        else LambdaConfig[name] = arnOf(name);
      }
      await t.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          ...base,
          LambdaConfig,
          ...(o.developerEmail
            ? {
                EmailConfiguration: {
                  EmailSendingAccount: 'DEVELOPER',
                  SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
                  From: 'Example <no-reply@example.com>',
                },
              }
            : {}),
        }),
      );
    },
    reset() {
      behaviour.clear();
      for (const name of triggerNames) events[name].length = 0;
    },
  };
}

export const password = 'Passw0rd!x';

/** The error a call failed with, or undefined when it succeeded. */
export const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: Error) => e,
  );

/** A confirmed user with `password` (made without a message, so no trigger runs); the e-mail. */
export async function confirmedUser(t: TriggerIdp, tag: string, attributes: AttributeType[] = []) {
  const email = uniqueEmail(tag);
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: t.poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      ...(attributes.length ? { UserAttributes: attributes } : {}),
    }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: t.poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return email;
}

/** VerifyAuthChallengeResponse that compares the answer with the private `answer` Create stored. */
export const verifyPrivateAnswer = (e: Event) => ({
  ...e,
  response: { answerCorrect: e.request.challengeAnswer === e.request.privateChallengeParameters.answer },
});
