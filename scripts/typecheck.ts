/** `npm run typecheck`: tsc --noEmit for every workspace that has a tsconfig.json, one after another. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dirs = ['.', 'bench', 'infra', 'e2e', 'functions'];
for (const group of ['packages', 'apps']) for (const d of readdirSync(group)) dirs.push(join(group, d));

let failed = 0;
for (const dir of dirs) {
  if (!existsSync(join(dir, 'tsconfig.json'))) continue;
  const r = spawnSync('node_modules/.bin/tsc', ['--noEmit', '-p', join(dir, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  console.log(`typecheck ${dir}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
