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

  it('Dependabot watches the actions, the Dockerfiles, the CI images, compose.yaml and npm', () => {
    const config = parse(readFileSync(join(repoRoot, '.github', 'dependabot.yml'), 'utf8')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string }[];
    };
    expect(config.version).toBe(2);
    const dirs = (ecosystem: string) =>
      config.updates.filter((u) => u['package-ecosystem'] === ecosystem).map((u) => u.directory);
    expect(dirs('github-actions')).toEqual(['/']);
    expect(dirs('npm')).toEqual(['/']);
    expect(dirs('docker').sort()).toEqual(['/.github/ci-images', '/docker']);
    expect(dirs('docker-compose')).toEqual(['/']);
    expect(readdirSync(join(repoRoot, 'docker')).filter((f) => f.endsWith('Dockerfile')).length).toBe(3);
    expect(readdirSync(join(repoRoot, '.github', 'ci-images'))).toContain('ci.Dockerfile');
  });
});

type ImageJob = {
  container?: string | { image: string };
  services?: Record<string, { image: string }>;
  steps?: { run?: string }[];
};
/** Options of `docker run` that take a separate value (the image is the first other word). */
const valueOptions = new Set(
  '-v --volume -w --workdir -e --env --env-file --network --name -p --publish -u --user --entrypoint --mount --platform'.split(
    ' ',
  ),
);
function dockerRunImages(script: string): string[] {
  const images: string[] = [];
  for (const m of script.replace(/\\\n\s*/g, ' ').matchAll(/docker run ([^\n]*)/g)) {
    const words = (m[1] ?? '').trim().split(/\s+/);
    let i = 0;
    while (i < words.length && words[i]!.startsWith('-')) i += valueOptions.has(words[i]!) ? 2 : 1;
    images.push(words[i] ?? '');
  }
  return images;
}
/** Every image a workflow runs: job containers, service containers and `docker run` in scripts. */
function imagesOf(content: string): string[] {
  const jobs = (parse(content) as { jobs: Record<string, ImageJob> }).jobs;
  return Object.values(jobs).flatMap((job) => [
    ...(job.container ? [typeof job.container === 'string' ? job.container : job.container.image] : []),
    ...Object.values(job.services ?? {}).map((s) => s.image),
    ...(job.steps ?? []).flatMap((s) => dockerRunImages(s.run ?? '')),
  ]);
}
const pinnedImage = /^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/;

describe('pinned container images (ADR 0194)', () => {
  it('finds and refuses an image used by tag (the check is live)', () => {
    const bad = [
      'on: push',
      'jobs:',
      '  t:',
      '    runs-on: ubuntu-24.04',
      '    container: debian:bookworm',
      '    services:',
      '      db: { image: "postgres:17" }',
      '    steps:',
      '      - run: |',
      '          docker run --rm --network host -v "$PWD:/w" -e CI=true \\',
      '            node:20-bookworm bash -c true',
    ].join('\n');
    const images = imagesOf(bad);
    expect(images).toEqual(['debian:bookworm', 'postgres:17', 'node:20-bookworm']);
    for (const image of images) expect(image).not.toMatch(pinnedImage);
  });

  it.each(files)('%s runs every container image by tag and multi-arch digest', (file) => {
    for (const image of imagesOf(readFileSync(join(dir, file), 'utf8'))) expect(image).toMatch(pinnedImage);
  });

  it('ci.yml runs exactly the images pinned where Dependabot moves them (.github/ci-images)', () => {
    const pins = readFileSync(join(repoRoot, '.github', 'ci-images', 'ci.Dockerfile'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('FROM '))
      .map((l) => l.split(/\s+/)[1]);
    const used = imagesOf(readFileSync(join(dir, 'ci.yml'), 'utf8'));
    expect(used.length).toBeGreaterThan(0);
    expect([...new Set(used)].sort()).toEqual([...pins].sort());
  });
});
