import { defineProject } from 'vitest/config';

// Integration tests start real IdP servers on port 0 with temp data dirs; SRP and scrypt are CPU-bound,
// so give them room on 2 shared cores.
export default defineProject({
  test: {
    name: 'idp',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
