/**
 * `npm run bench`: every benchmark, one after the other (never in parallel: 2 noisy cores),
 * each printing its own side-by-side table and writing bench/results/<name>.json.
 * Pass names to run a subset: `npm run bench -- api idp`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The machine's Node is 20; the AWS SDK's notice about its future Node 22 floor is noise in the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const all = ['srp', 'idp', 'api', 'auth-answers', 'limits', 'start'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench/${name}.ts does not exist`);
    failed++;
    continue;
  }
  console.log(`\n=== bench/${name}.ts`);
  const r = spawnSync(join(here, '..', 'node_modules', '.bin', 'tsx'), [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
