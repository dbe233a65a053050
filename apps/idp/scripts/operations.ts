/** Rewrites the generated list of supported operations in apps/idp/README.md from the code. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withOperationsBlock } from '../src/operations/readme-list.ts';

const path = join(import.meta.dirname, '..', 'README.md');
writeFileSync(path, withOperationsBlock(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);
