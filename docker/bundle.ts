/**
 * Bundles a server workspace into single ESM files for a slim production image:
 *
 *   tsx docker/bundle.ts api     -> dist/api/{main,migrate,seed}.mjs + migrations/ + node_modules/ (externals)
 *   tsx docker/bundle.ts idp     -> dist/idp/main.mjs
 *   tsx docker/bundle.ts web     -> dist/web/web-server.mjs (the SPA's static server, packages/stack)
 *
 * Workspaces export TypeScript source (no build step), so esbuild compiles and bundles them here.
 * Packages that load files next to their own code (WASM, static assets) or are optional native
 * addons stay external and are copied, with their dependencies, into dist/<app>/node_modules.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

export interface AppBundleSpec {
  /** Workspace folder, relative to the repo root. */
  readonly dir: string;
  /** Output name -> entry file (relative to the workspace). */
  readonly entries: Record<string, string>;
  /** Folders of the workspace the code reads at run time (copied next to the bundles). */
  readonly copy: string[];
  /** Files from docker/ copied beside the bundles (health check, compose glue). */
  readonly extras: string[];
  /** Packages left out of the bundle and copied into node_modules instead. */
  readonly external: string[];
  /** Optional/native modules that are never installed and must stay unresolved. */
  readonly ignoreMissing: string[];
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Reads `"db:migrate": "tsx src/cli/migrate.ts"` style scripts so entries follow the workspace. */
function scriptEntry(dir: string, script: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return pkg.scripts?.[script]?.match(/tsx\s+(\S+\.ts)/)?.[1];
}

export function specFor(app: string): AppBundleSpec {
  switch (app) {
    case 'api': {
      const entries: Record<string, string> = { main: scriptEntry('apps/api', 'start') ?? 'src/main.ts' };
      const migrate = scriptEntry('apps/api', 'db:migrate');
      const seed = scriptEntry('apps/api', 'db:seed');
      if (migrate) entries.migrate = migrate;
      if (seed) entries.seed = seed;
      // Compose's glue: the API's env from the local IdP's bootstrap file, by packages/stack's mapping.
      entries['local-idp-env'] = '../../packages/stack/src/compose/local-idp-env.ts';
      return {
        dir: 'apps/api',
        entries,
        copy: ['migrations'],
        extras: ['healthcheck.mjs'],
        // PGlite loads its .wasm/.data beside its own files; swagger-ui serves its static folder.
        external: ['@electric-sql/pglite', '@fastify/swagger-ui'],
        ignoreMissing: ['pg-native'],
      };
    }
    case 'idp':
      return {
        dir: 'apps/idp',
        // The SRP worker threads' script sits beside main.mjs, where users/srp-workers.ts looks (ADR 0185).
        entries: {
          main: scriptEntry('apps/idp', 'start') ?? 'src/main.ts',
          'srp-worker': 'src/users/srp-worker.ts',
        },
        copy: [],
        extras: ['healthcheck.mjs'],
        external: [],
        ignoreMissing: [],
      };
    case 'web':
      return {
        dir: 'packages/stack',
        entries: { 'web-server': 'src/static-server/main.ts' },
        copy: [],
        extras: ['healthcheck.mjs'],
        external: [],
        ignoreMissing: [],
      };
    default:
      throw new BundleError(`unknown app "${app}" (expected api, idp or web)`);
  }
}

/**
 * `new URL('../../migrations/', import.meta.url)` in a bundled file would resolve against the
 * bundle, not the source file. Rewrite such calls to resolve against the source file's place in
 * the app (`<bundle dir>/src/db/migrate.ts`), so relative asset paths keep working once the
 * folders in `copy` sit beside the bundle. Bare `import.meta.url` (e.g. "am I the entry point?")
 * is left alone.
 */
function sourceRelativeUrls(appDir: string): Plugin {
  return {
    name: 'source-relative-urls',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const pattern = /new URL\(\s*(['"`][^'"`]+['"`])\s*,\s*import\.meta\.url\s*\)/g;
        if (!pattern.test(source)) return undefined;
        const rel = relative(appDir, args.path).split('\\').join('/');
        if (rel.startsWith('..')) {
          throw new BundleError(`${args.path}: resolves files relative to itself but is outside ${appDir}`);
        }
        const contents = source.replace(
          pattern,
          (_m, spec: string) => `new URL(${spec}, new URL(${JSON.stringify(rel)}, __bundleAppRoot))`,
        );
        return { contents, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Copies a package and, recursively, its dependencies into `target/node_modules`. */
function copyPackageTree(name: string, fromDir: string, target: string, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const req = createRequire(join(fromDir, 'noop.js'));
  let pkgJsonPath: string;
  try {
    pkgJsonPath = req.resolve(`${name}/package.json`);
  } catch {
    // Packages whose "exports" hide package.json: walk up from the main entry.
    let dir = dirname(req.resolve(name));
    while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(name.split('/').pop() ?? name)) {
      const up = dirname(dir);
      if (up === dir) throw new BundleError(`cannot locate package.json of ${name}`);
      dir = up;
    }
    pkgJsonPath = join(dir, 'package.json');
  }
  const pkgDir = dirname(pkgJsonPath);
  cpSync(pkgDir, join(target, 'node_modules', name), {
    recursive: true,
    dereference: true,
    filter: (src) => !src.includes(`${join(pkgDir, 'node_modules')}`),
  });
  const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) copyPackageTree(dep, pkgDir, target, seen);
}

export interface BundleResult {
  readonly outDir: string;
  readonly files: string[];
}

export async function bundleApp(app: string, outRoot = join(repoRoot, 'dist')): Promise<BundleResult> {
  const spec = specFor(app);
  const appDir = join(repoRoot, spec.dir);
  const outDir = join(outRoot, app);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entryPoints: Record<string, string> = {};
  for (const [name, file] of Object.entries(spec.entries)) {
    const path = join(appDir, file);
    if (!existsSync(path)) throw new BundleError(`${spec.dir}: entry ${file} does not exist`);
    entryPoints[name] = path;
  }
  await build({
    entryPoints,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: false,
    sourcemap: 'linked',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    external: [...spec.external, ...spec.ignoreMissing],
    plugins: [sourceRelativeUrls(appDir)],
    // CommonJS dependencies inside an ESM bundle still call require/__dirname.
    banner: {
      js: [
        "import { createRequire as __bundleCreateRequire } from 'node:module';",
        "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
        "import { dirname as __bundleDirname } from 'node:path';",
        'const require = __bundleCreateRequire(import.meta.url);',
        'const __filename = __bundleFileURLToPath(import.meta.url);',
        'const __dirname = __bundleDirname(__filename);',
        "const __bundleAppRoot = new URL('./', import.meta.url);",
      ].join('\n'),
    },
  });
  for (const folder of spec.copy) {
    const from = join(appDir, folder);
    if (existsSync(from)) cpSync(from, join(outDir, folder), { recursive: true });
  }
  for (const name of spec.external) copyPackageTree(name, appDir, outDir);
  // Marks the folder as ESM for tools that look; the .mjs extension already does for node.
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`,
  );
  for (const extra of spec.extras) cpSync(join(repoRoot, 'docker', extra), join(outDir, extra));
  return { outDir, files: Object.keys(entryPoints).map((n) => join(outDir, `${n}.mjs`)) };
}

async function cli(): Promise<void> {
  const apps = process.argv.slice(2);
  if (apps.length === 0) throw new BundleError('usage: tsx docker/bundle.ts <api|idp|web> [...]');
  for (const app of apps) {
    const result = await bundleApp(app);
    console.log(`bundled ${app}: ${result.files.map((f) => relative(repoRoot, f)).join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((err) => {
    console.error(err instanceof BundleError ? err.message : err);
    process.exit(1);
  });
}
