export { clientByKey, definition, passkeyUserVerification } from './definition.ts';
export * from './email.ts';
export * from './password-policy.ts';
export * from './schema.ts';
