import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real servers (IdP, Postgres databases, Redis) on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
