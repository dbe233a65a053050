import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** Lambda's context object as the handler sees it (the parts handlers read). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler: any event shape in, the event (or a promise of it) out. */
export type Handler = (
  // biome-ignore lint/suspicious/noExplicitAny: a trigger handler takes and returns any event shape
  event: any,
  context: LambdaContext,
  callback?: (err: unknown, result?: unknown) => void,
) => unknown;

/**
 * Where a function from the pool's LambdaConfig runs locally:
 * - `module`: a TS/JS file, `path#export` (default export `handler`), imported again when it changes;
 * - `url`: an HTTP endpoint that takes the event as JSON and answers the event (any language);
 * - `invoke`: a Lambda Invoke API endpoint (SAM local, LocalStack, the Lambda RIE), `name` defaulting
 *   to the function's name from the ARN;
 * - `handler`: a function, for tests (startIdp({ functions })).
 */
export type FunctionTarget =
  | { module: string }
  | { url: string }
  | { invoke: string; name?: string }
  | { handler: Handler };

/** Keys are full ARNs or function names (the ARN's `function:<name>` part, without a qualifier). */
export type FunctionMap = Record<string, FunctionTarget | string | Handler>;

export class FunctionMapError extends Error {
  override name = 'FunctionMapError';
}

/** The function name in `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function functionNameOf(arn: string): string {
  const m = /:function:([^:]+)/.exec(arn);
  return m ? m[1]! : arn;
}

function normalise(key: string, value: FunctionMap[string], base: string): FunctionTarget {
  if (typeof value === 'function') return { handler: value };
  if (typeof value === 'string') {
    if (/^https?:\/\//.test(value)) return { url: value };
    return { module: isAbsolute(value) ? value : resolve(base, value) };
  }
  if (value && typeof value === 'object') {
    if ('module' in value && typeof value.module === 'string')
      return { module: isAbsolute(value.module) ? value.module : resolve(base, value.module) };
    if ('url' in value && typeof value.url === 'string') return { url: value.url };
    if ('invoke' in value && typeof value.invoke === 'string') return value;
    if ('handler' in value && typeof value.handler === 'function') return value;
  }
  throw new FunctionMapError(
    `functions: "${key}" must be "path#export", an http(s) URL, {"module"}, {"url"}, {"invoke", "name"?} or a function`,
  );
}

/** Resolves relative module paths against `base` (the map file's folder, or the working directory). */
export function normaliseFunctionMap(map: FunctionMap, base = process.cwd()): Map<string, FunctionTarget> {
  const out = new Map<string, FunctionTarget>();
  for (const [key, value] of Object.entries(map)) out.set(key, normalise(key, value, base));
  return out;
}

/** Reads a --functions JSON file: `{ "<arn or name>": "./path.ts#handler" | {...} }`. */
export function loadFunctionMap(file: string): Map<string, FunctionTarget> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FunctionMapError(`cannot read the functions file ${file}: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new FunctionMapError(`${file} must hold a JSON object`);
  return normaliseFunctionMap(raw as FunctionMap, dirname(resolve(file)));
}

/** The target for an ARN: by the exact ARN first, then by function name. */
export function findTarget(map: Map<string, FunctionTarget>, arn: string): FunctionTarget | undefined {
  return map.get(arn) ?? map.get(functionNameOf(arn));
}
