import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './errors.ts';

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
  let session: Partial<Session>;
  try {
    session = JSON.parse(readFileSync(file, 'utf8')) as Partial<Session>;
  } catch {
    session = {};
  }
  if (typeof session.apiUrl !== 'string' || typeof session.accessToken !== 'string' || !session.method)
    throw new CliError(
      `the session file ${file} is not one this CLI wrote: run \`cognito-stack login\``,
      EXIT.auth,
    );
  return session as Session;
}

/**
 * Tokens are credentials: the folder is the user's alone (0700) and the file too (0600). The file is
 * written whole under a new name (created 0600) and renamed over the old one, so no moment shows the
 * tokens under another mode, and a command that dies mid-write (or a second command refreshing at
 * the same time) never leaves half a file.
 */
export function writeSession(session: Session, dir = configDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = sessionFile(dir);
  const next = `${file}.${process.pid}.tmp`;
  rmSync(next, { force: true }); // left by a command of the same pid that died mid-write
  try {
    writeFileSync(next, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(next, file);
  } catch (err) {
    rmSync(next, { force: true });
    throw err;
  }
}

export function clearSession(dir = configDir()): void {
  rmSync(sessionFile(dir), { force: true });
}
