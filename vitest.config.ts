import { defineConfig } from 'vitest/config';

// One runner for the whole repo: each workspace brings its own vitest.config.ts as a project.
export default defineConfig({
  test: {
    projects: [
      'scripts/vitest.config.ts',
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'functions/vitest.config.ts',
      'infra/vitest.config.ts',
      'e2e/vitest.config.ts',
      'bench/vitest.config.ts',
    ],
    // 2-core machines: keep parallelism modest so timing-sensitive integration tests stay stable.
    maxWorkers: 2,
  },
});
