/**
 * Child processes of the local stack: each part runs as its own process (as in production),
 * its output prefixed with the part's name, and all of them stopped together.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const colours: Record<string, string> = { idp: '\x1b[35m', api: '\x1b[36m', web: '\x1b[32m' };

export function startPart(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Part {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tag = `${process.stdout.isTTY ? (colours[name] ?? '') : ''}[${name}]${process.stdout.isTTY ? '\x1b[0m' : ''}`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`${tag} ${line}`));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

/** SIGTERM every part, then SIGKILL whatever is still running after the grace period. */
export async function stopAll(parts: Part[], graceMs = 10_000): Promise<void> {
  const running = parts.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  for (const p of running) p.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }, graceMs);
  await Promise.all(running.map((p) => p.exited));
  clearTimeout(timer);
}
