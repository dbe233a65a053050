import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import type { AppConfig, AttachmentsConfig } from '../config.ts';
import { AccountDeletion } from '../services/account-deletion.ts';
import { ObjectStore } from '../services/attachments/object-store.ts';
import { AttachmentsService } from '../services/attachments/service.ts';
import { AuditLog } from '../services/audit.ts';
import { AdminService } from '../services/cognito/admin.ts';
import { AdminDirectory } from '../services/cognito/admin-directory.ts';
import { AuthService, type AuthServiceOptions } from '../services/cognito/auth.ts';
import { OTP_ISSUER } from '../services/cognito/challenge.ts';
import { createCognitoClient } from '../services/cognito/client.ts';
import { DevicesService } from '../services/cognito/devices.ts';
import { LastAdminGuard } from '../services/cognito/last-admin.ts';
import { MfaService } from '../services/cognito/mfa.ts';
import { CognitoProfileSource } from '../services/cognito/profile.ts';
import { SessionFlows } from '../services/cognito/session-flows.ts';
import { Sessions } from '../services/cognito/sessions.ts';
import { UsersService } from '../services/users.ts';
import adminRoutes from './admin.ts';
import attachmentsRoutes from './attachments.ts';
import authRoutes from './auth.ts';
import deviceRoutes from './devices.ts';
import exportRoutes from './exports.ts';
import itemsRoutes from './items.ts';
import usersRoutes from './users.ts';

export interface RoutesOptions {
  /** Passed by buildApp (app.ts). */
  config: AppConfig;
  /** An SDK client to share (tests, bench); otherwise one is made from config.cognito. */
  cognito?: CognitoIdentityProviderClient;
  /** AuthService tuning (the answer floor); tests only. */
  authOptions?: AuthServiceOptions;
}

/**
 * Mounted by app.ts under /api/v1. Route files stay thin (schemas from @app/api-contract, guards,
 * rate limits); the logic lives in src/services.
 */
export default async function routes(app: FastifyInstance, opts: RoutesOptions): Promise<void> {
  const { config } = opts;

  const cognito = opts.cognito ?? createCognitoClient(config.cognito);
  if (!opts.cognito) app.addHook('onClose', async () => cognito.destroy());

  const signInClient = {
    userPoolId: config.cognito.userPoolId,
    clientId: config.cognito.authClientId,
    clientSecret: config.cognito.authClientSecret,
    authFlow: config.cognito.authFlow,
  };
  const auth = new AuthService(cognito, signInClient, app.db, app.log, opts.authOptions);
  // Where sessions end, at the IdP and in this API's revocation list (ADR 0070).
  const sessions = new Sessions(cognito, signInClient, app.revocation, app.log);
  const users = new UsersService(app.db, new CognitoProfileSource(cognito), app.log);

  await app.register(authRoutes, {
    prefix: '/auth',
    auth,
    sessions: new SessionFlows(cognito, signInClient, sessions, app.log),
  });
  const attachments = config.attachments && attachmentsService(app, config.attachments);
  const audit = new AuditLog(app.db);
  const lastAdmin = new LastAdminGuard(cognito, config.cognito.userPoolId, app.store);
  const deletion = new AccountDeletion(
    cognito,
    config.cognito.userPoolId,
    sessions,
    lastAdmin,
    app.db,
    app.items,
    audit,
    app.log,
    attachments || undefined,
  );
  await app.register(usersRoutes, {
    prefix: '/users',
    users,
    mfa: new MfaService(cognito, OTP_ISSUER),
    deletion,
  });
  await app.register(deviceRoutes, { prefix: '/users/me/devices', devices: new DevicesService(cognito) });
  await app.register(itemsRoutes, {
    prefix: '/items',
    items: app.items,
    ...(attachments ? { attachments } : {}),
  });
  if (attachments) await app.register(attachmentsRoutes, { prefix: '/items', attachments });
  await app.register(exportRoutes, { prefix: '/exports', items: app.items });
  await app.register(adminRoutes, {
    prefix: '/admin',
    admin: new AdminService(cognito, config.cognito.userPoolId, sessions, lastAdmin, deletion, audit),
    directory: new AdminDirectory(cognito, config.cognito.userPoolId, app.db),
    audit,
  });
}

/** Attachments when a bucket is configured (ADR 0170); the S3 client closes with the app. */
function attachmentsService(app: FastifyInstance, config: AttachmentsConfig): AttachmentsService {
  const objects = new ObjectStore(config);
  app.addHook('onClose', async () => objects.destroy());
  return new AttachmentsService(app.items, app.attachmentRecords, objects, config.maxBytes, app.log);
}
