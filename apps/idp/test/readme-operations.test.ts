import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operations } from '../src/operations/index.ts';
import { operationsBlock } from '../src/operations/readme-list.ts';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('apps/idp/README.md', () => {
  it('lists exactly the operations the code answers (run `npm run -w apps/idp operations` when this fails)', () => {
    expect(readme).toContain(operationsBlock());
  });

  it('names every operation in its prose list too', () => {
    const prose = readme.slice(
      readme.indexOf('## Supported operations'),
      readme.indexOf('<!-- operations:start'),
    );
    const missing = Object.keys(operations).filter((op) => !new RegExp(`\\b${op}\\b`).test(prose));
    expect(missing).toEqual([]);
  });
});
