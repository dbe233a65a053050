import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { definition } from '@app/pool-definition';
import { tfvarsFromDefinition } from '../src/terraform/tfvars.ts';

// Regenerates the Terraform module's inputs from the pool definition: `npm run -w infra tfvars`.
const target = fileURLToPath(new URL('../terraform/cognito/pool.auto.tfvars.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(tfvarsFromDefinition(definition), null, 2)}\n`);
// Keep the file in the repo's one format so `npm run lint` stays clean after regenerating.
execFileSync('npx', ['biome', 'format', '--write', target], { stdio: 'inherit' });
console.log(`wrote ${target}`);
