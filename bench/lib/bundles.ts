/**
 * Bundle size and module load time of every cloud function, bundled exactly as the CDK construct
 * (infra/constructs/motcua-function.ts) has NodejsFunction run esbuild:
 *   esbuild --bundle functions/<name>.ts --target=node22 --platform=node --format=esm
 *     --outfile=<out>/index.mjs --minify --sourcemap --sources-content=false
 *     --banner:js=<the createRequire shim> --main-fields=module,main      (no --external)
 * Assets (fonts, swagger-ui files) are copied beside the bundle by a hook: not in these bytes.
 * Load time: a fresh `node` process times `await import(bundle)`, median of `runs`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { lambdaExternals } from '#infra/bundling.ts';
import { ENV } from '#wiring/definitions.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';
import { median, round } from './stats.ts';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const CONSTRUCT = join(ROOT, 'infra', 'constructs', 'motcua-function.ts');

/** The banner of the construct, as written there (read from its source so that the two cannot drift). */
const FALLBACK_SHIM =
  "import { createRequire as __motcuaCreateRequire } from 'node:module'; const require = __motcuaCreateRequire(import.meta.url);";

interface BundleOptionsCheck {
  readonly banner: string;
  /** Settings of the construct's `bundling` block this file replicates and did not find there. */
  readonly notFoundInConstruct: readonly string[];
}

function constructOptions(): BundleOptionsCheck {
  const src = existsSync(CONSTRUCT) ? readFileSync(CONSTRUCT, 'utf8') : '';
  const m = /const ESM_REQUIRE_SHIM =\s*\n?\s*"([^"]+)"/.exec(src);
  const expected = [
    'format: OutputFormat.ESM',
    "mainFields: ['module', 'main']",
    'minify: true',
    'sourceMap: true',
    'sourcesContent: false',
    "target: 'node22'",
    'banner: ESM_REQUIRE_SHIM',
    'externalModules: [...lambdaExternals(spec)]',
  ];
  return { banner: m?.[1] ?? FALLBACK_SHIM, notFoundInConstruct: expected.filter((e) => !src.includes(e)) };
}

export interface BundleResult {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
  /** Median of `runs` fresh processes: `await import()` of the bundle. */
  readonly loadMs: number;
  readonly loadMsRuns: readonly number[];
  /** The fastest run: closest to what an idle machine gives. */
  readonly loadMsMin: number;
  /** The same with NODE_OPTIONS=--enable-source-maps (what setting it in Lambda for readable traces costs). */
  readonly loadMsWithSourceMaps: number;
  /** Largest contributors to the bundle, by package (or project folder), bytes of minified output. */
  readonly largest: readonly { readonly from: string; readonly bytes: number }[];
  readonly assets?: string;
}

/** Groups an input path of esbuild's metafile: a package, a notable part of one, or a project folder. */
function pieceOf(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm < 0) {
    const parts = path.split('/');
    return `(project) ${parts.length > 1 ? `${parts[0]}/` : path}`;
  }
  const rest = path.slice(nm + 'node_modules/'.length).split('/');
  const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
  if (pkg === 'zod' && rest.includes('locales')) return 'zod (locales)';
  if (pkg === 'zod' && rest.includes('v3')) return 'zod (v3 compat)';
  return pkg;
}

function loadEnv(): NodeJS.ProcessEnv {
  const fontDir = join(ROOT, 'node_modules', '@expo-google-fonts', 'be-vietnam-pro');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'motcua-bench',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    [ENV.table]: 'motcua',
    [ENV.bucket]: 'motcua-scans',
    [ENV.bus]: 'motcua',
    [ENV.publicBaseUrl]: 'https://motcua.example.vn',
    [ENV.gatewaySecretArn]: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:motcua-gateways',
    [ENV.signingKeyId]: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
    [ENV.fontDir]: fontDir,
    [ENV.assetDir]: join(ROOT, 'node_modules', 'swagger-ui-dist'),
  };
}

const PROBE =
  'const t0 = performance.now(); const m = await import(process.env.BENCH_BUNDLE_URL); const ms = performance.now() - t0;' +
  'process.stdout.write(JSON.stringify({ ms, handler: typeof m.handler })); process.exit(0);';

function timeImport(file: string, sourceMaps: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE],
      {
        env: {
          ...loadEnv(),
          BENCH_BUNDLE_URL: pathToFileURL(file).href,
          ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${file}: ${stderr.split('\n').slice(0, 3).join(' ') || err.message}`));
        try {
          const r = JSON.parse(stdout) as { ms: number; handler: string };
          if (r.handler !== 'function') return reject(new Error(`${file}: no handler export`));
          resolve(r.ms);
        } catch {
          reject(new Error(`${file}: unexpected output ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

export async function measureBundles(
  specs: readonly FunctionSpec[],
  runs: number,
  log: (m: string) => void,
): Promise<{ bundles: Record<string, BundleResult>; check: BundleOptionsCheck; skipped: Record<string, string> }> {
  const check = constructOptions();
  const outRoot = join(tmpdir(), `motcua-bench-bundles-${process.pid}`);
  mkdirSync(outRoot, { recursive: true });
  const bundles: Record<string, BundleResult> = {};
  const skipped: Record<string, string> = {};
  try {
    const built = new Map<string, { file: string; largest: BundleResult['largest'] }>();
    const queue = [...specs];
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) {
          const entry = join(ROOT, 'functions', `${spec.name}.ts`);
          if (!existsSync(entry)) {
            skipped[spec.name] = 'no handler module yet';
            continue;
          }
          const outfile = join(outRoot, spec.name, 'index.mjs');
          try {
            const r = await build({
              absWorkingDir: ROOT,
              entryPoints: [entry],
              bundle: true,
              target: 'node22',
              platform: 'node',
              format: 'esm',
              outfile,
              minify: true,
              sourcemap: true,
              sourcesContent: false,
              banner: { js: check.banner },
              mainFields: ['module', 'main'],
              external: [...lambdaExternals(spec)],
              metafile: true,
              logLevel: 'silent',
            });
            const out = r.metafile.outputs[relative(ROOT, outfile)];
            const groups = new Map<string, number>();
            for (const [path, v] of Object.entries(out?.inputs ?? {})) {
              groups.set(pieceOf(path), (groups.get(pieceOf(path)) ?? 0) + v.bytesInOutput);
            }
            const largest = [...groups.entries()]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 8)
              .map(([from, bytes]) => ({ from, bytes }));
            built.set(spec.name, { file: outfile, largest });
          } catch (e) {
            skipped[spec.name] = `esbuild: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
          }
        }
      }),
    );
    // Load times one process at a time, so that they do not compete with each other.
    for (const spec of specs) {
      const b = built.get(spec.name);
      if (!b) continue;
      try {
        const plain: number[] = [];
        for (let i = 0; i < runs; i++) plain.push(await timeImport(b.file, false));
        const mapped: number[] = [];
        for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) mapped.push(await timeImport(b.file, true));
        const code = readFileSync(b.file);
        bundles[spec.name] = {
          bytes: code.length,
          gzipBytes: gzipSync(code, { level: 9 }).length,
          sourceMapBytes: existsSync(`${b.file}.map`) ? statSync(`${b.file}.map`).size : 0,
          loadMs: round(median(plain)),
          loadMsRuns: plain.map((v) => round(v)),
          loadMsMin: round(Math.min(...plain)),
          loadMsWithSourceMaps: round(median(mapped)),
          largest: b.largest,
          ...(spec.assets ? { assets: `${spec.assets} (copied beside the bundle, not counted)` } : {}),
        };
        const r = bundles[spec.name] as BundleResult;
        log(
          `  ${spec.name.padEnd(18)} ${(r.bytes / 1024).toFixed(1).padStart(7)} KB (gzip ${(r.gzipBytes / 1024).toFixed(1)} KB)` +
            `  load ${r.loadMs} ms (min ${r.loadMsMin}; with source maps ${r.loadMsWithSourceMaps} ms)`,
        );
      } catch (e) {
        skipped[spec.name] = `load: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  return { bundles, check, skipped };
}
