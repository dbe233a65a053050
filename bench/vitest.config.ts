import { defineProject } from 'vitest/config';

// Only the benches' pure parts (summary, target marking, SVG, load statistics): no bench runs in tests.
export default defineProject({
  test: { name: 'bench', include: ['lib/**/*.test.ts'] },
});
