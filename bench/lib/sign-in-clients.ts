/**
 * The bench's load generator for SRP and password sign-ins: `count` client processes
 * (bench/lib/sign-in-client.ts under tsx), the loops spread over them. `run` sends every process its
 * share at once and resolves with the sign-ins all of them finished and the wall time it took.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SignInAnswer, SignInJob, SignInTarget } from './sign-in-client.ts';

const file = join(dirname(fileURLToPath(import.meta.url)), 'sign-in-client.ts');

export interface SignInClients {
  count: number;
  /** The client processes (for their CPU time). */
  pids: number[];
  /** `emails`: one loop per entry, dealt round-robin over the processes; sign-ins done and wall seconds. */
  run(job: Omit<SignInJob, 'id' | 'emails'>, emails: string[]): Promise<{ done: number; seconds: number }>;
  close(): Promise<void>;
}

export function startSignInClients(count: number): SignInClients {
  const procs: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--import', 'tsx', file], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    }),
  );
  let nextId = 0;
  const ask = (p: ChildProcess, job: SignInJob) =>
    new Promise<SignInAnswer>((resolve, reject) => {
      const onMessage = (a: SignInAnswer) => {
        if (a.id !== job.id) return;
        p.off('message', onMessage);
        p.off('exit', onExit);
        resolve(a);
      };
      const onExit = (code: number | null) => reject(new Error(`a bench client process exited (${code})`));
      p.on('message', onMessage);
      p.once('exit', onExit);
      p.send(job);
    });
  return {
    count,
    pids: procs.map((p) => p.pid!),
    async run(job, emails) {
      const started = performance.now();
      const answers = await Promise.all(
        procs.map((p, i) => {
          const mine = emails.filter((_, k) => k % count === i);
          return mine.length === 0
            ? ({ id: -1, done: 0 } as SignInAnswer)
            : ask(p, { ...job, id: nextId++, emails: mine });
        }),
      );
      const failed = answers.find((a) => a.error);
      if (failed) throw new Error(`bench client: ${failed.error}`);
      const done = answers.reduce((n, a) => n + a.done, 0);
      return { done, seconds: (performance.now() - started) / 1000 };
    },
    async close() {
      await Promise.all(
        procs.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null || !p.connected) return resolve();
              p.once('exit', () => resolve());
              p.send('exit');
              setTimeout(() => p.kill('SIGKILL'), 5000).unref();
            }),
        ),
      );
    },
  };
}

export type { SignInTarget };
