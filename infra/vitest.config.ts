import { defineProject } from 'vitest/config';

// Synthesizing the whole stack (and running cdk-nag over it) takes seconds, not milliseconds.
export default defineProject({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node
    // refuses; inlined, Vite transforms the import.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
