// The SRP worker's entry when the IdP runs from TypeScript source (tsx CLI, vitest): a worker thread
// starts without the parent's loaders, so this plain module loads tsx and then the worker itself.
// The production bundle runs its own srp-worker.mjs instead (ADR 0185).
import { tsImport } from 'tsx/esm/api';

await tsImport('./srp-worker.ts', import.meta.url);
