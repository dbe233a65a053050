import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'pool-definition', include: ['src/**/*.test.ts'] } });
