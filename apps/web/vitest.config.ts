import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { buildDefines } from './build-defines.ts';

export default defineProject({
  plugins: [react()],
  define: { ...buildDefines, global: 'globalThis' },
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    // Sign-in runs real SRP in amazon-cognito-identity-js (jsbn): ~1 s a login on these machines.
    testTimeout: 30_000,
  },
});
