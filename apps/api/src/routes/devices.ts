import { DeviceList, DeviceParams } from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { rateLimit } from '../plugins/app/rate-limit.ts';
import type { DevicesService } from '../services/cognito/devices.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** /users/me/devices: the caller's signed-in devices and "sign out this one" (issue 15, ADR 0167). */
export default async function deviceRoutes(root: FastifyInstance, opts: { devices: DevicesService }) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { devices } = opts;
  const tags = ['users', 'devices'];
  const perUser = rateLimit({
    name: 'devices:user',
    max: 30,
    windowSeconds: 900,
    key: (req) => req.user?.sub,
  });

  app.get(
    '/',
    {
      preHandler: requireUser(),
      schema: {
        tags,
        security,
        summary: 'My signed-in devices',
        description:
          'The devices my browsers and apps registered with the identity provider (Cognito device ' +
          'tracking: ListDevices with my access token), most recently used first; `current` marks ' +
          'the one this token was issued to.',
        response: { 200: DeviceList, ...problems(...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always) },
      },
    },
    async (req) => ({ devices: await devices.list(req.user.accessToken, req.user.deviceKey) }),
  );

  app.delete(
    '/:device_key',
    {
      preHandler: [requireUser(), perUser],
      schema: {
        tags,
        security,
        summary: 'Sign out one device',
        description:
          'Forgets the device (ForgetDevice with my access token): it must sign in with the password ' +
          'again; every access token issued on it is refused by this API at once, and the local IdP ' +
          'also ends its sessions. 404 when it is not one of my devices.',
        params: DeviceParams,
        response: {
          ...noContent('The device is forgotten and signed out.'),
          ...problems(400, 404, ...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) => {
      // Refused here first (namespaced by the caller's sub, so a key that is not theirs refuses
      // nothing of anyone's): tokens already issued on the device stop working even where the IdP
      // does not end them, and a retry after a failed write still reaches this line.
      await root.revocation.revokeDevice(req.user.sub, req.params.device_key);
      await devices.forget(req.user.accessToken, req.params.device_key);
      return reply.code(204).send();
    },
  );
}
