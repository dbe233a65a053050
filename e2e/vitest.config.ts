import { defineProject } from 'vitest/config';

// Browser tests of the whole stack. One file at a time: each starts an IdP, an API and a browser,
// and the machine has two cores shared with everyone else's tests.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
