/**
 * A worker thread of the SRP pool (srp-workers.ts): answers each request with the result of the named
 * operation of srp-worker-ops.ts, or with its error's class and message. Bundled as srp-worker.mjs
 * beside main.mjs (docker/bundle.ts); from source it is loaded through srp-worker-loader.mjs.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { type SrpReply, type SrpRequest, srpOps } from './srp-worker-ops.ts';

function answer({ id, op, input }: SrpRequest): SrpReply {
  try {
    if (!Object.hasOwn(srpOps, op)) throw new Error(`unknown SRP operation "${op}"`);
    const run = srpOps[op as keyof typeof srpOps] as (input: unknown) => unknown;
    return { id, threadId, value: run(input) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id, threadId, error: { name: e.name, message: e.message } };
  }
}

if (!parentPort) throw new Error('srp-worker.ts runs as a worker thread of the SRP pool only');
const port = parentPort;
port.on('message', (request: SrpRequest) => port.postMessage(answer(request)));
