import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { buildDefines } from './build-defines.ts';

export default defineConfig({
  plugins: [react()],
  define: {
    ...buildDefines,
    // amazon-cognito-identity-js pulls in the `buffer` package, which reads Node's `global`.
    global: 'globalThis',
  },
  build: {
    // scripts/bundle-report.ts reads the manifest to attribute chunks to routes.
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
  // 5173 is where `npm start` serves the built app; the dev server sits next to it.
  server: { host: '127.0.0.1', port: 5174 },
});
