/**
 * Preloaded (`node --import`) into every process `npm start` runs — the IdP, the API, migrations,
 * the web build — so none outlives the start process (ADR 0080): when it is gone, this process
 * stops as if sent SIGTERM (the part's own graceful shutdown), and is killed 5 s later if it has
 * not exited by then.
 */
import { Worker } from 'node:worker_threads';
import { onParentGone } from './parent-watch.ts';

/** How long a part may take to stop on its own once the start process is gone. */
const FORCE_AFTER_MS = 5000;

onParentGone(() => {
  // The deadline runs on its own thread: the main one can be stuck for good. With the start process
  // gone, stdout is a broken pipe, and pino's synchronous flush on exit retries EPIPE forever
  // (sonic-boom's flushSync), so a timer on the main thread would never fire.
  const deadline = new Worker(
    'setTimeout(() => process.kill(process.pid, "SIGKILL"), require("node:worker_threads").workerData)',
    { eval: true, workerData: FORCE_AFTER_MS },
  );
  deadline.unref();
  process.kill(process.pid, 'SIGTERM');
});
