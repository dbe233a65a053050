/**
 * Child processes of the local stack: each part runs as its own process (as in production), its
 * output handed line by line to the caller (the start script formats it, log-format.ts). Every child is tied to the start process (ADR 0080): it
 * runs Node directly (no wrapper process in between), in its own process group (so a terminal's
 * Ctrl-C reaches only the start process, which stops the parts in order), with an IPC channel
 * whose close — the start process dying, even by SIGKILL — makes the child stop (tether.ts).
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why, when it was no process (the in-process web server's error). */
  reason?: string;
}

export interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<Exit>;
}

/** `exit code 1` or `killed by SIGKILL`: why a process ended, for the one line that reports it. */
export function describeExit({ code, signal, reason }: Exit): string {
  return reason ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

const tsxLoader = import.meta.resolve('tsx');
const tether = new URL('./tether.ts', import.meta.url).href;

/** Runs a Node entry file (TypeScript through tsx's loader) with the tether preloaded. */
function spawnTethered(
  entry: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; stdio: 'pipe' | 'inherit' },
): ChildProcess {
  const stdio: StdioOptions =
    opts.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'];
  return spawn(process.execPath, ['--import', tsxLoader, '--import', tether, entry, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio,
    detached: true,
  });
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A long-running part (the IdP, the API); every line it prints goes to `onLine`. */
export function startPart(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Part {
  const child = spawnTethered(entry, args, { env, stdio: 'pipe' });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  return { name, child, exited: exitOf(child) };
}

/** A one-off step (migrations, seed, web build): resolves when it succeeds, rejects otherwise. */
export function runStep(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Part & { done: Promise<void> } {
  const child = spawnTethered(entry, args, { env, stdio: 'inherit', ...(cwd ? { cwd } : {}) });
  const exited = exitOf(child);
  const done = exited.then((exit) => {
    if (exit.code !== 0) throw new Error(`${name} failed (${describeExit(exit)})`);
  });
  return { name, child, exited, done };
}

/** SIGTERM every running process, then SIGKILL whatever is still running after the grace period. */
export async function stopAll(parts: Part[], graceMs = 10_000): Promise<void> {
  const running = parts.filter((p) => isRunning(p.child));
  for (const p of running) p.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const p of running) if (isRunning(p.child)) p.child.kill('SIGKILL');
  }, graceMs);
  await Promise.all(running.map((p) => p.exited));
  clearTimeout(timer);
}
