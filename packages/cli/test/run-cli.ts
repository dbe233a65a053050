import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/cognito-stack.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs the real binary as a user would, with its own config folder and optional standard input. */
export function runCli(args: string[], opts: { configDir: string; stdin?: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(BIN, args, {
      env: { ...process.env, COGNITO_STACK_CONFIG_DIR: opts.configDir, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
    child.stdin.end(opts.stdin ?? '');
  });
}
