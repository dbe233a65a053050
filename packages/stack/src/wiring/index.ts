export { type ApiEnv, type ApiEnvVar, type ApiPool, type ApiWiring, apiEnv } from './api-env.ts';
export { type FunctionsWiring, functionsEnv } from './functions-env.ts';
export {
  appClientKeys,
  type Bootstrap,
  type PoolIds,
  poolIdsFromBootstrap,
  readBootstrapFile,
  WiringError,
} from './pool.ts';
export {
  contentSecurityPolicy,
  cspConnectSources,
  cspImageSources,
  spaSecurityHeaders,
} from './security-headers.ts';
export { HOSTED_UI_CALLBACK_PATH, hostedUiAppUrls, type RuntimeConfig, webConfig } from './web-config.ts';
