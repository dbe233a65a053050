export {
  CLI_CALLBACK_URL,
  clientByKey,
  definition,
  nativeClient,
  passkeyUserVerification,
  webClient,
} from './definition.ts';
export * from './email.ts';
export * from './password-policy.ts';
export * from './schema.ts';
