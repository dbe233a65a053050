import { defineProject } from 'vitest/config';

// Synthesizing the whole stack (and running cdk-nag over it) takes seconds, not milliseconds.
export default defineProject({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
