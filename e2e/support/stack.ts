/**
 * The whole stack for a browser test file: packages/stack's startStack() in this process on random
 * loopback ports — the local IdP, the API (embedded PGlite, in-process store, temp folder) and the
 * production build of the SPA behind the one static server, under the production CSP — plus the
 * helpers the tests share (the dev mailbox, calling the API with a token).
 */
import type { RunningIdp, SeedUser } from '@app/idp';
import { type RunningStack, startStack } from '@app/stack';
import type { FastifyInstance } from 'fastify';

export interface StackOptions {
  users?: SeedUser[];
  /** Short token lifetimes for the expiry test (Cognito's minimum is 5 minutes). */
  tokenValiditySeconds?: { access?: number; id?: number };
  /** The mock OIDC provider beside the IdP, offered as "Sign in with MockGoogle" (ADR 0160). */
  mockOidc?: boolean;
}

export interface Stack {
  idp: RunningIdp;
  api: FastifyInstance;
  apiUrl: string;
  webUrl: string;
  /** The newest code of `kind` mailed to `email`, from the IdP's dev mailbox. */
  readCode(email: string, kind?: 'signup' | 'reset' | 'invitation' | 'verification' | 'mfa'): Promise<string>;
  /** Calls the API with a bearer token, as any client would. */
  callApi(path: string, token: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function startE2eStack(options: StackOptions = {}): Promise<Stack> {
  const stack: RunningStack = await startStack({
    idp: {
      users: options.users ?? [],
      ...(options.mockOidc ? { mockOidc: true } : {}),
      ...(options.tokenValiditySeconds ? { tokenValiditySeconds: options.tokenValiditySeconds } : {}),
    },
  });
  const idpUrl = stack.idp.url;
  const apiUrl = stack.api!.url!;
  return {
    idp: stack.idp.running!,
    api: stack.api!.app!,
    apiUrl,
    webUrl: stack.web!.url,
    async readCode(email, kind = 'signup') {
      // The IdP writes the mail before it answers, but allow a moment for a slow machine.
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${idpUrl}/_dev/mailbox?to=${encodeURIComponent(email)}`);
        const body = (await res.json()) as { messages: { kind: string; code: string }[] };
        const message = body.messages.find((m) => m.kind === kind);
        if (message) return message.code;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no ${kind} code in the dev mailbox for ${email}`);
    },
    callApi(path, token, init = {}) {
      return fetch(`${apiUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
      });
    },
    stop: () => stack.stop(),
  };
}
