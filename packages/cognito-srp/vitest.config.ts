import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'cognito-srp', include: ['src/**/*.test.ts'] } });
