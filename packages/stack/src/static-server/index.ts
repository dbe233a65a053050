export { MAX_TARGET_LENGTH, safeDecodePath } from './request.ts';
export { type ConfigSource, configFile, createSpaServer, type RunningSpa, serveSpa } from './server.ts';
