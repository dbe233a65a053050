import { type ChildProcess, spawn } from 'node:child_process';

/** Only what a bundle needs from the environment: no npm, no node_modules, nothing inherited. */
export const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_NO_WARNINGS: '1' };

export interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
  /** Everything the process printed so far (stdout and stderr), growing as it runs. */
  output(): string;
}

/**
 * Runs `node <args>` (this process's Node unless `opts.node` names another binary) from `cwd` and resolves once its output matches `ready` (a log line with the
 * port it took). Rejects with the output when it exits first or takes longer than `timeoutMs`.
 */
export function startNode(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  opts: { cwd: string; children: ChildProcess[]; timeoutMs?: number; node?: string },
): Promise<Started> {
  const child = spawn(opts.node ?? process.execPath, args, {
    env: { ...baseEnv, ...env },
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  opts.children.push(child);
  let seen = '';
  const output = () => seen;
  return new Promise((resolve, reject) => {
    // A first PGlite start runs initdb (~6 s of CPU): minutes of wall time on a loaded machine.
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${ready}; output:\n${seen}`)),
      opts.timeoutMs ?? 150_000,
    );
    let resolved = false;
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = resolved ? null : seen.match(ready);
      if (match) {
        resolved = true;
        clearTimeout(timer);
        resolve({ child, match, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!resolved) reject(new Error(`exited with ${code} before ${ready}; output:\n${seen}`));
    });
  });
}

export function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
