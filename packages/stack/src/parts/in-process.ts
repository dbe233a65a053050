/**
 * The parts in this process (tests, the bench): the IdP through `startIdp()`, the API through
 * `buildApp()` — the same code the processes run, without a process per part.
 */
import type { AddressInfo } from 'node:net';
import { type AppConfig, type AppOverrides, buildApp, loadConfig } from '@app/api';
import { type RunningIdp, type StartIdpOptions, startIdp } from '@app/idp';
import type { FastifyInstance } from 'fastify';
import type { ApiEnv } from '../wiring/api-env.ts';

export async function startIdpHere(options: StartIdpOptions): Promise<RunningIdp> {
  return startIdp(options);
}

export async function startApiHere(
  env: ApiEnv,
  overrides: (config: AppConfig) => AppOverrides | Promise<AppOverrides>,
  listen: { host: string; port: number } | false,
): Promise<{ app: FastifyInstance; url?: string }> {
  const config = loadConfig(env);
  const app = await buildApp(config, await overrides(config));
  if (!listen) {
    await app.ready();
    return { app };
  }
  await app.listen(listen);
  return { app, url: `http://${listen.host}:${(app.server.address() as AddressInfo).port}` };
}
