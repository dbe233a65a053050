export { buildProbeApp, expectInvalidToken, expectProblem, probeRoutes } from './app.ts';
export { keyServerEnv, testConfig } from './config.ts';
export { type CountedCognito, countedCognito } from './counted-cognito.ts';
export { type LocalDynamo, startDynalite } from './dynamodb.ts';
export { type RawResponse, rawRequest } from './http.ts';
export { idpEnv, passwordSignIn, startTestIdp, type TestIdp, type TestIdpOptions } from './idp.ts';
export { b64url, signWithKey, startJwksServer, type TestKeyServer } from './jwks-server.ts';
export { openTestPglite } from './pglite.ts';
export { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from './postgres.ts';
export {
  deleteRedisPrefix,
  freePort,
  type PrivateRedis,
  redisTestPrefix,
  SHARED_REDIS_URL,
  startPrivateRedis,
} from './redis.ts';
