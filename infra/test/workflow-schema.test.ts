import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../docker/bundle.ts';

// GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions VS Code
// extension) validates against GitHub's workflow schema (workflow-v1.0.json in the package).
const silent = { info() {}, verbose() {}, error() {} };
const errorsOf = (name: string, content: string) =>
  parseWorkflow({ name, content }, silent)
    .context.errors.getErrors()
    .map((e) => e.message);

const dir = join(repoRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub workflow schema', () => {
  it('rejects a workflow GitHub would reject (the check is live)', () => {
    const bad = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz:\n      - run: echo hi\n';
    expect(errorsOf('bad.yml', bad).join('\n')).toMatch(/stepz/);
  });

  it.each(files)('.github/workflows/%s is valid', (file) => {
    expect(errorsOf(file, readFileSync(join(dir, file), 'utf8'))).toEqual([]);
  });
});

describe('pinned actions with an update bot', () => {
  it.each(files)('%s uses every action by full commit SHA, with the release tag beside it', (file) => {
    const uses = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => /^\s*(-\s*)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('Dependabot watches the actions, the Dockerfiles and npm', () => {
    const config = parse(readFileSync(join(repoRoot, '.github', 'dependabot.yml'), 'utf8')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string }[];
    };
    expect(config.version).toBe(2);
    const byEcosystem = new Map(config.updates.map((u) => [u['package-ecosystem'], u.directory]));
    expect(byEcosystem.get('github-actions')).toBe('/');
    expect(byEcosystem.get('npm')).toBe('/');
    const dockerDir = byEcosystem.get('docker') ?? '';
    expect(readdirSync(join(repoRoot, dockerDir)).filter((f) => f.endsWith('Dockerfile')).length).toBe(3);
  });
});
