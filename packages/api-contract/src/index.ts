export * from './admin.ts';
export * from './attachments.ts';
export * from './auth.ts';
export * from './devices.ts';
export * from './items.ts';
export * from './mfa.ts';
export * from './problem.ts';
export * from './users.ts';
