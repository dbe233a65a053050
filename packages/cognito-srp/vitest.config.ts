import { defineProject } from 'vitest/config';

// Interop tests run amazon-cognito-identity-js's jsbn SRP (~0.5 s a login, several per test): on 2
// shared cores under load the 5 s default is too tight. A time-out bound, not a speed assertion.
export default defineProject({
  test: { name: 'cognito-srp', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
