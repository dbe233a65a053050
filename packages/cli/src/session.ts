import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How the tokens were obtained, which decides how they are refreshed and ended. */
export type LoginMethod =
  | { kind: 'password'; email: string }
  | { kind: 'pkce'; tokenUrl: string; revokeUrl: string; clientId: string };

/** What `login` keeps: the API it signed in to, the tokens and when the access token expires. */
export interface Session {
  apiUrl: string;
  method: LoginMethod;
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The user's config directory: COGNITO_STACK_CONFIG_DIR, else $XDG_CONFIG_HOME/cognito-stack, else
 * ~/.config/cognito-stack (like gh's ~/.config/gh).
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COGNITO_STACK_CONFIG_DIR) return env.COGNITO_STACK_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cognito-stack');
}

const sessionFile = (dir: string) => join(dir, 'session.json');

export function readSession(dir = configDir()): Session | null {
  const file = sessionFile(dir);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Session;
}

/** Tokens are credentials: the folder is the user's alone (0700) and the file too (0600). */
export function writeSession(session: Session, dir = configDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = sessionFile(dir);
  writeFileSync(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
}

export function clearSession(dir = configDir()): void {
  rmSync(sessionFile(dir), { force: true });
}
