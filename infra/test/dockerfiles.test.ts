import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { declaredKeys, parseDockerfile } from './containers/dockerfile.ts';
import { dockerfileNode, imageNodeVersion } from './image-node.ts';

const images = ['api', 'web', 'idp'] as const;
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const nodeImageOf = (image: string) => parseDockerfile(read(`docker/${image}.Dockerfile`)).stages[0]?.from;

describe('Dockerfile reader', () => {
  it('joins continuations, groups stages, and rejects garbage', () => {
    const parsed = parseDockerfile('FROM a AS one\nENV A=1 \\\n    B=2\nFROM b\nUSER node\n');
    expect(parsed.stages.map((s) => s.name)).toEqual(['one', undefined]);
    expect(parsed.stages[0]?.instructions[0]?.args).toBe('A=1 B=2');
    expect(declaredKeys(parsed.stages[0]?.instructions[0] ?? { keyword: '', args: '', line: 0 })).toEqual([
      'A',
      'B',
    ]);
    expect(() => parseDockerfile('FROM a\n???\n')).toThrow(/not an instruction/);
  });
});

describe("the images' Node version, read for the rehearsal (infra/test/image-node.ts)", () => {
  it("is the full version in the pin comment, only when its major is the tag's", () => {
    const pin = (tag: string, version: string) =>
      `# lists for\n# node:${tag}-bookworm-slim (${version}). Dependabot\nFROM node:${tag}-bookworm-slim@sha256:${'a'.repeat(64)}\n`;
    expect(dockerfileNode(pin('26', '26.5.0'))).toEqual({ fromMajor: ['26'], stated: '26.5.0' });
    expect(dockerfileNode(pin('26', '24.18.1')).stated).toBeUndefined();
    expect(dockerfileNode('FROM node:26-bookworm-slim\n')).toEqual({ fromMajor: ['26'], stated: undefined });
  });

  it('is the same in all three Dockerfiles', () => {
    const stated = images.map((image) => dockerfileNode(read(`docker/${image}.Dockerfile`)).stated);
    expect(new Set(stated).size).toBe(1);
    expect(imageNodeVersion()).toBe(stated[0]);
  });
});

describe.each(images)('docker/%s.Dockerfile', (image) => {
  const text = read(`docker/${image}.Dockerfile`);
  const { preamble, stages } = parseDockerfile(text);
  const runtime = stages.at(-1);
  const build = stages[0];
  const all = [...preamble, ...stages.flatMap((s) => s.instructions)];

  it('is multi-stage: npm ci in a build stage, a separate slim runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build?.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(runtime?.from).toMatch(/slim/);
  });

  it('builds and runs on the Node LTS (26), pinned by digest, the same image in every stage', () => {
    const froms = stages.map((st) => st.from);
    for (const from of froms) expect(from).toMatch(/^node:26-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(new Set(froms).size).toBe(1);
    expect(froms[0]).toBe(nodeImageOf('api'));
  });

  it('names its BuildKit frontend by digest too (the syntax line pulls an image as FROM does)', () => {
    expect(text.split('\n')[0]).toMatch(/^# syntax=docker\/dockerfile:1\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('states the exact Node its pin is, the one the production rehearsal runs the bundles on', () => {
    const { fromMajor, stated } = dockerfileNode(text);
    expect(stated).toMatch(/^26\.\d+\.\d+$/);
    expect(stated).toBe(imageNodeVersion());
    expect(fromMajor.length).toBe(stages.length);
    for (const major of fromMajor) expect(`${major}.`).toBe(stated?.slice(0, major.length + 1));
  });

  it('runs as a non-root user in the runtime stage', () => {
    const users = runtime?.instructions.filter((i) => i.keyword === 'USER') ?? [];
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK and a CMD in exec form in the runtime stage', () => {
    const hc = runtime?.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    expect(hc?.args).toMatch(/CMD \[/);
    expect(runtime?.instructions.find((i) => i.keyword === 'CMD')?.args).toMatch(/^\[/);
  });

  it('installs no dependencies in the runtime stage (no npm, no dev dependencies)', () => {
    for (const i of runtime?.instructions ?? []) {
      if (i.keyword === 'RUN') expect(i.args).not.toMatch(/\bnpm\b|\byarn\b|\bpnpm\b/);
      if (i.keyword === 'COPY' && !i.args.includes('--from=')) expect(i.args).toMatch(/^docker\//);
    }
  });

  it('puts no secret in ENV or ARG', () => {
    for (const i of all) {
      for (const key of declaredKeys(i)) expect(key).not.toMatch(/SECRET|PASSWORD|TOKEN|ACCESS_KEY|PRIVATE/i);
      if (i.keyword === 'ENV' || i.keyword === 'ARG') expect(i.args).not.toMatch(/:\/\/[^/\s:]+:[^@\s]+@/);
    }
  });

  it('copies every npm workspace manifest before npm ci (npm ci fails on a missing workspace)', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const copies = (build?.instructions ?? [])
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.args.split(/\s+/)[0]);
    for (const ws of workspaces) {
      const covered = ws.endsWith('/*')
        ? copies.includes(`${ws.slice(0, -1)}`)
        : copies.some((c) => c === `${ws}/package.json` || c === `${ws}/`);
      expect(covered, `${image}.Dockerfile build stage copies ${ws}`).toBe(true);
    }
  });

  it('copies only paths that exist in the repository', () => {
    for (const i of all.filter(
      (x) => (x.keyword === 'COPY' || x.keyword === 'ADD') && !x.args.includes('--from='),
    )) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        if (/^https?:\/\//.test(src)) continue;
        expect(existsSync(join(repoRoot, src)), `${image}.Dockerfile:${i.line} ${src}`).toBe(true);
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local data and env files out of the context', () => {
    const lines = read('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '**/.data', '**/.env', '.git'])
      expect(lines).toContain(pattern);
  });
});
