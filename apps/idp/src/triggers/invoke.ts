import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { PoolRecord } from '../store/state.ts';
import type { TriggerName } from './lambda-config.ts';
import type { InvocationLog } from './log.ts';
import { FunctionFailure, runTarget } from './runners.ts';
import { type FunctionTarget, findTarget, functionNameOf, type LambdaContext } from './targets.ts';

/** One per running IdP: where functions run, how long they may take, what they did. */
export interface TriggerRuntime {
  functions: Map<string, FunctionTarget>;
  /** Cognito's 5 seconds per attempt; tests may shorten it. */
  timeoutMs: number;
  log: InvocationLog;
}

/** Cognito calls a function again when it times out; three attempts in all (developer guide). */
const attempts = 3;

export interface TriggerCall {
  triggerSource: string;
  userName: string;
  clientId?: string;
  request: Record<string, unknown>;
  /** The response members Cognito pre-fills (e.g. CustomMessage's, PreSignUp's false flags). */
  response?: Record<string, unknown>;
  /** Event version; "1" except for pre-token generation V2/V3 ("2"/"3"). */
  version?: string;
  /** Trigger-specific checks of the response; a CognitoError thrown here is what the caller gets. */
  validate?: (response: Record<string, unknown>) => void;
}

export const lambdaValidation = (trigger: string, message: string) =>
  new CognitoError('UserLambdaValidationException', `${trigger} failed with error ${message}.`);
export const invalidLambdaResponse = (message = 'Unrecognizable lambda output') =>
  new CognitoError('InvalidLambdaResponseException', message);
const unexpectedLambda = (trigger: string, message: string) =>
  new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed due to error ${message}.`);

const timeoutMessage = 'Socket timeout while invoking Lambda function';

function lambdaContext(arn: string, deadline: number): LambdaContext {
  const name = functionNameOf(arn);
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function attempt(rt: TriggerRuntime, target: FunctionTarget, arn: string, event: unknown) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new FunctionFailure('invoke', timeoutMessage));
    }, rt.timeoutMs);
  });
  try {
    // The handler gets its own copy: what it changes must not leak into the logged event.
    const run = runTarget(
      target,
      functionNameOf(arn),
      structuredClone(event),
      lambdaContext(arn, Date.now() + rt.timeoutMs),
      controller.signal,
    );
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

// One printable line of bounded length: error messages travel in a response header too.
const oneLine = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/\u001b\[[0-9;]*m/g, '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 500);

function toCognitoError(trigger: string, err: unknown): CognitoError {
  if (err instanceof FunctionFailure) {
    if (err.kind === 'handler') return lambdaValidation(trigger, oneLine(err.message));
    if (err.kind === 'output') return invalidLambdaResponse();
    return unexpectedLambda(trigger, oneLine(err.message));
  }
  return unexpectedLambda(trigger, oneLine(err instanceof Error ? err.message : String(err)));
}

/**
 * Invokes the pool's function for `trigger`, as Cognito does: the common event members, a 5-second
 * limit per attempt with up to three attempts on time-outs, and Cognito's three error types. Returns
 * the `response` the function filled in, or undefined when the pool has no such trigger.
 */
export async function invokeTrigger(
  ctx: Ctx,
  pool: PoolRecord,
  trigger: TriggerName,
  call: TriggerCall,
): Promise<Record<string, unknown> | undefined> {
  const arn = pool.lambdaConfig?.[trigger];
  if (!arn) return undefined;
  const rt = ctx.triggers;
  const event = {
    version: call.version ?? '1',
    triggerSource: call.triggerSource,
    region: pool.region,
    userPoolId: pool.id,
    userName: call.userName,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: call.clientId ?? 'CLIENT_ID_NOT_APPLICABLE',
    },
    request: call.request,
    response: call.response ?? {},
  };
  const target = findTarget(rt.functions, arn);
  const started = performance.now();
  let tries = 0;
  const record = (result: { response?: unknown; error?: CognitoError }) =>
    rt.log.add({
      at: new Date(ctx.clock()).toISOString(),
      poolId: pool.id,
      trigger,
      triggerSource: call.triggerSource,
      functionArn: arn,
      runs: target ? Object.keys(target)[0]! : 'none',
      attempts: tries,
      durationMs: Math.round(performance.now() - started),
      event,
      response: result.response,
      error: result.error ? `${result.error.type}: ${result.error.message}` : undefined,
    });
  try {
    // An ARN with no local target is a function that does not exist, as far as this IdP can tell.
    if (!target) throw new FunctionFailure('invoke', 'ResourceNotFoundException');
    let output: unknown;
    for (;;) {
      tries++;
      try {
        output = await attempt(rt, target, arn, event);
        break;
      } catch (err) {
        const retry = err instanceof FunctionFailure && err.message === timeoutMessage && tries < attempts;
        if (!retry) throw err;
      }
    }
    if (!output || typeof output !== 'object' || Array.isArray(output))
      throw new FunctionFailure('output', '');
    const response = (output as { response?: unknown }).response ?? {};
    if (typeof response !== 'object' || response === null || Array.isArray(response))
      throw new FunctionFailure('output', '');
    call.validate?.(response as Record<string, unknown>);
    record({ response });
    return response as Record<string, unknown>;
  } catch (err) {
    const error = err instanceof CognitoError ? err : toCognitoError(trigger, err);
    record({ error });
    throw error;
  }
}

/** Whether the pool has the trigger configured (callers skip building events otherwise). */
export const hasTrigger = (pool: PoolRecord, trigger: TriggerName) => Boolean(pool.lambdaConfig?.[trigger]);
