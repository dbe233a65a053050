export { clientByKey, definition } from './definition.ts';
export * from './schema.ts';
