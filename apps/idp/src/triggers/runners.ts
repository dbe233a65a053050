import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { FunctionTarget, Handler, LambdaContext } from './targets.ts';

/**
 * How the runtime tells apart the three ways a function can fail, which Cognito reports differently:
 * the handler threw or answered an error (`handler`), the answer was not an event (`output`), or the
 * function could not be reached at all (`invoke`).
 */
export class FunctionFailure extends Error {
  constructor(
    readonly kind: 'handler' | 'output' | 'invoke',
    message: string,
  ) {
    super(message);
  }
}

const loaded = new Map<string, { mtimeMs: number; handler: Handler }>();

/** Imports `path#export`, again whenever the file's mtime changes (hot reload for `npm start`). */
async function moduleHandler(spec: string): Promise<Handler> {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const exportName = hash > 0 ? spec.slice(hash + 1) : 'handler';
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    throw new FunctionFailure('invoke', `ResourceNotFoundException (no file ${file})`);
  }
  const cached = loaded.get(spec);
  if (cached && cached.mtimeMs === mtimeMs) return cached.handler;
  let mod: Record<string, unknown>;
  try {
    // An integer query: a decimal one would read as the file's extension to some loaders.
    mod = await import(`${pathToFileURL(file).href}?v=${Math.round(mtimeMs * 1000)}`);
  } catch (err) {
    throw new FunctionFailure('invoke', `Runtime.ImportModuleError (${(err as Error).message})`);
  }
  const handler = (mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName]) as
    | Handler
    | undefined;
  if (typeof handler !== 'function')
    throw new FunctionFailure('invoke', `Runtime.HandlerNotFound (${file} has no export ${exportName})`);
  loaded.set(spec, { mtimeMs, handler });
  return handler;
}

/**
 * Imports every module target ahead of its first call (in the background, errors left for the
 * call to report): a cold TypeScript import can take seconds on a busy machine, and Cognito's 5-second
 * limit is about the function, not about compiling it.
 */
export function preloadModules(targets: Iterable<FunctionTarget>): void {
  for (const t of targets) if ('module' in t) moduleHandler(t.module).catch(() => {});
}

/** Runs an in-process handler, async or callback style (a handler declaring three parameters). */
async function callHandler(handler: Handler, event: unknown, context: LambdaContext): Promise<unknown> {
  try {
    if (handler.length >= 3)
      return await new Promise((resolve, reject) => {
        const r = handler(event, context, (err, result) => (err ? reject(err) : resolve(result)));
        if (r && typeof (r as Promise<unknown>).then === 'function')
          (r as Promise<unknown>).then(resolve, reject);
      });
    return await handler(event, context);
  } catch (err) {
    throw new FunctionFailure('handler', err instanceof Error ? err.message : String(err));
  }
}

function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FunctionFailure('output', 'not JSON');
  }
}

/**
 * The text of a function error: Lambda's `errorMessage`, a plain `message`, or FastAPI's `detail`
 * (an HTTPException's body, as a Python hook answers a refusal); else the body itself.
 */
const errorMessageOf = (text: string) => {
  try {
    const body = JSON.parse(text) as { errorMessage?: unknown; message?: unknown; detail?: unknown };
    const m = [body.errorMessage, body.message, body.detail].find((x) => typeof x === 'string');
    if (typeof m === 'string') return m;
  } catch {}
  return text.trim().slice(0, 500) || 'no message';
};

async function post(url: string, event: unknown, signal: AbortSignal) {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new FunctionFailure('invoke', `ServiceException (${(err as Error).message})`);
  }
}

/** HTTP hook: POST the event, a 2xx answers the event; any other status is the handler's error. */
async function runUrl(url: string, event: unknown, signal: AbortSignal) {
  const res = await post(url, event, signal);
  const text = await res.text();
  if (!res.ok) throw new FunctionFailure('handler', errorMessageOf(text));
  return parseOutput(text);
}

/** Lambda Invoke API (RequestResponse): a function error comes back as 200 with X-Amz-Function-Error. */
async function runInvoke(endpoint: string, name: string, event: unknown, signal: AbortSignal) {
  const url = `${endpoint.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;
  const res = await post(url, event, signal);
  const text = await res.text();
  if (res.headers.get('x-amz-function-error')) throw new FunctionFailure('handler', errorMessageOf(text));
  if (!res.ok) {
    const type = res.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP ${res.status}`;
    throw new FunctionFailure('invoke', type);
  }
  return parseOutput(text);
}

export async function runTarget(
  target: FunctionTarget,
  functionName: string,
  event: unknown,
  context: LambdaContext,
  signal: AbortSignal,
): Promise<unknown> {
  if ('handler' in target) return callHandler(target.handler, event, context);
  if ('module' in target) return callHandler(await moduleHandler(target.module), event, context);
  if ('url' in target) return runUrl(target.url, event, signal);
  return runInvoke(target.invoke, target.name ?? functionName, event, signal);
}
