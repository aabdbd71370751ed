/**
 * Bundle size and module load time of every cloud function, bundled exactly as the CDK construct
 * (infra/constructs/motcua-function.ts) has NodejsFunction run esbuild:
 *   esbuild --bundle functions/<name>.ts --target=node22 --platform=node --format=esm
 *     --outfile=<out>/index.mjs --minify --sourcemap --sources-content=false
 *     --banner:js=<the createRequire shim> --main-fields=module,main      (no --external)
 * Assets (fonts, swagger-ui files, the OpenAPI document) are written beside the bundle by a hook:
 * not in these bytes; the api-docs function gets them here too (the same commands), as it reads one.
 * Load time: a fresh `node` process times `await import(bundle)`, median of `runs`.
 * Init cost (the functions of {@link INIT_EVENTS}): what a cold start pays as Lambda bills it, the
 * module load and then the first invocation, in one fresh process, with a representative event
 * that needs no AWS service (none is reachable here): a 4xx of the request's validation, a route
 * that reads nothing or S3's test event for the scan checker, where the SDK clients are not even
 * built; for the PDF function, a register
 * PDF rendered for real, its two DynamoDB reads answered "nothing found" by a stand-in endpoint on
 * loopback (the client built, requests signed and sent; no TLS, no network latency).
 */
import { execFile, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { ASSET_DIRS, copyCommands, openApiCommand, SWAGGER_UI_FILES, swaggerUiDir } from '#infra/assets.ts';
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
  /**
   * CPU time (user + system, all threads) of the import, median: steadier than the wall clock when
   * other work shares the machine's cores, and above it when V8 compiles on helper threads.
   */
  readonly loadCpuMs: number;
  /** The same with NODE_OPTIONS=--enable-source-maps (what setting it in Lambda for readable traces costs). */
  readonly loadMsWithSourceMaps: number;
  /** Largest contributors to the bundle, by package (or project folder), bytes of minified output. */
  readonly largest: readonly { readonly from: string; readonly bytes: number }[];
  /** Bytes of zod (classic, its locales included) in the bundle: what zod/mini would replace. */
  readonly zodBytes: number;
  readonly assets?: string;
  /** Module load + first invocation in one fresh process (functions of {@link INIT_EVENTS} only). */
  readonly init?: InitCost;
}

export interface InitCost {
  /** What the first invocation was: the route and why it needs no AWS. */
  readonly event: string;
  /**
   * What it answered, checked against the expected answer so that the path measured is the one
   * named: an HTTP status code, or for a queue consumer `failures:<n>` (its partial batch response).
   */
  readonly status: number | string;
  /** Medians of `runs` fresh processes. */
  readonly loadMs: number;
  readonly firstCallMs: number;
  /** load + first call, per process, median: the cold start's cost before the function's own I/O. */
  readonly initMs: number;
  readonly initMsRuns: readonly number[];
  /** The fastest run: closest to what an idle machine gives. */
  readonly initMsMin: number;
}

/** The claims of the Lambda authorizer's context (functions/lib/http.ts checks `exp`). */
function authorizer(role: string) {
  return { lambda: { sub: 'bench-init', role, ward: 'bimson', exp: Math.floor(Date.now() / 1000) + 3600 } };
}

function httpEvent(
  routeKey: string,
  o: {
    path: string;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    role?: string;
  },
) {
  const method = routeKey.split(' ')[0] as string;
  return {
    version: '2.0',
    routeKey,
    rawPath: o.path,
    rawQueryString: new URLSearchParams(o.query ?? {}).toString(),
    headers: o.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(o.query ? { queryStringParameters: o.query } : {}),
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'bench-init',
      routeKey,
      http: { method, path: o.path, sourceIp: '127.0.0.1' },
      ...(o.role ? { authorizer: authorizer(o.role) } : {}),
    },
  };
}

const DOSSIER = '00000000-0000-4000-8000-000000000000';

/** An SQS event of one message, as a queue consumer receives it. */
function sqsEvent(body: string) {
  return {
    Records: [
      {
        messageId: 'bench-init-1',
        receiptHandle: 'bench',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:motcua-scan-checker',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/**
 * The first invocation of the heaviest functions and of api-docs: each needs no AWS service but
 * the PDF function's loopback stand-in. A 400 is the request's validation failing in the handler,
 * after the whole middleware chain.
 */
const INIT_EVENTS: Readonly<Record<string, { what: string; status: number | string; event: object }>> = {
  forms: {
    what:
      'GET /v1/registers?format=pdf for a month (200, the PDF register rendered with the fonts; its DynamoDB ' +
      'Query and GetItem answered empty by a loopback stand-in)',
    status: 200,
    event: httpEvent('GET /v1/registers', {
      path: '/v1/registers',
      query: { from: '2026-01-01', to: '2026-01-31', format: 'pdf' },
      role: 'receiver',
    }),
  },
  documents: {
    what: 'POST …/documents/{componentId}/upload-url with an empty body (400, body validation)',
    status: 400,
    event: httpEvent('POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url', {
      path: `/v1/dossiers/${DOSSIER}/documents/don/upload-url`,
      pathParameters: { dossierId: DOSSIER, componentId: 'don' },
      body: {},
      role: 'citizen',
    }),
  },
  'scan-checker': {
    what: "one SQS message holding S3's s3:TestEvent (skipped: no failures), through the batch processor",
    status: 'failures:0',
    event: sqsEvent(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'motcua-scans' })),
  },
  pages: {
    what: 'GET /p/assets/bang-goi-so.js (200, a script held in the bundle)',
    status: 200,
    event: httpEvent('GET /p/assets/{asset}', {
      path: '/p/assets/bang-goi-so.js',
      pathParameters: { asset: 'bang-goi-so.js' },
    }),
  },
  dossiers: {
    what: 'POST /v1/dossiers with an empty body (400, body validation)',
    status: 400,
    event: httpEvent('POST /v1/dossiers', { path: '/v1/dossiers', body: {}, role: 'citizen' }),
  },
  catalog: {
    what: 'GET /v1/procedures without a ward (400, query validation)',
    status: 400,
    event: httpEvent('GET /v1/procedures', { path: '/v1/procedures', query: {} }),
  },
  'api-docs': {
    what: 'GET /openapi.json (200, the document read from its file beside the bundle)',
    status: 200,
    event: httpEvent('GET /openapi.json', { path: '/openapi.json' }),
  },
};

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
  'const c0 = process.cpuUsage(); const t0 = performance.now(); const m = await import(process.env.BENCH_BUNDLE_URL);' +
  'const ms = performance.now() - t0; const c = process.cpuUsage(c0); const cpu = (c.user + c.system) / 1000;' +
  'process.stdout.write(JSON.stringify({ ms, cpu, handler: typeof m.handler })); process.exit(0);';

const INIT_PROBE =
  'const t0 = performance.now(); const m = await import(process.env.BENCH_BUNDLE_URL); const t1 = performance.now();' +
  "const context = { awsRequestId: 'bench-init', functionName: 'bench', getRemainingTimeInMillis: () => 10000 };" +
  'const r = await m.handler(JSON.parse(process.env.BENCH_EVENT), context); const t2 = performance.now();' +
  "const status = r?.statusCode ?? (Array.isArray(r?.batchItemFailures) ? 'failures:' + r.batchItemFailures.length : 'none');" +
  'process.stdout.write(JSON.stringify({ load: t1 - t0, call: t2 - t1, status })); process.exit(0);';

function timeInit(
  file: string,
  env: NodeJS.ProcessEnv,
  event: object,
): Promise<{ load: number; call: number; status: number | string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', INIT_PROBE],
      {
        env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href, BENCH_EVENT: JSON.stringify(event) },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${file}: ${stderr.split('\n').slice(0, 3).join(' ') || err.message}`));
        try {
          resolve(JSON.parse(stdout) as { load: number; call: number; status: number | string });
        } catch {
          reject(new Error(`${file}: unexpected output ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

/**
 * A stand-in DynamoDB endpoint on loopback for the init probes: every read finds nothing (Query and
 * Scan no items, GetItem no item, BatchGetItem no responses); anything else is refused.
 */
async function emptyDynamo(): Promise<{ url: string; close(): void }> {
  const answers: Record<string, object> = {
    Query: { Items: [], Count: 0, ScannedCount: 0 },
    Scan: { Items: [], Count: 0, ScannedCount: 0 },
    GetItem: {},
    BatchGetItem: { Responses: {}, UnprocessedKeys: {} },
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const answer = answers[op];
      res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify(
          answer ?? { __type: 'com.amazon.coral.validate#ValidationException', message: `bench stand-in: no ${op}` },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** An external imported statically would be resolved at load, where Lambda has no copy of it: refused. */
function staticExternals(code: string, externals: readonly string[]): string[] {
  return externals.filter((e) => code.includes(`from"${e}"`) || code.includes(`import"${e}"`));
}

function timeImport(file: string, sourceMaps: boolean, env: NodeJS.ProcessEnv): Promise<{ ms: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE],
      {
        env: {
          ...env,
          BENCH_BUNDLE_URL: pathToFileURL(file).href,
          ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${file}: ${stderr.split('\n').slice(0, 3).join(' ') || err.message}`));
        try {
          const r = JSON.parse(stdout) as { ms: number; cpu: number; handler: string };
          if (r.handler !== 'function') return reject(new Error(`${file}: no handler export`));
          resolve({ ms: r.ms, cpu: r.cpu });
        } catch {
          reject(new Error(`${file}: unexpected output ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

/** esbuild as the construct runs it (the module comment); the entry and the metafile are the caller's. */
const lambdaBuild = (banner: string, externals: readonly string[], outfile: string): BuildOptions => ({
  absWorkingDir: ROOT,
  bundle: true,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  outfile,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: banner },
  mainFields: ['module', 'main'],
  external: [...externals],
  logLevel: 'silent',
});

/**
 * The least a function that talks to DynamoDB can be: a document client, one GetCommand and a
 * handler that sends it, bundled and loaded exactly as the functions are. A function's bytes and
 * load time above this are ours (middy, the logger, zod, our code); this part is the SDK's.
 */
const SDK_FLOOR_ENTRY = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
  'const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
  "export const handler = async () => db.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));",
].join('\n');

/**
 * The same with what the standards ask of every handler: middy and the Powertools logger (a
 * library, not our own), its context injected. What is left of the target above this is for
 * validation and the function's own code.
 */
const HANDLER_FLOOR_ENTRY = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
  "import middy from '@middy/core';",
  "import { Logger } from '@aws-lambda-powertools/logger';",
  "import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';",
  'const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
  'const logger = new Logger();',
  'export const handler = middy(async () => {',
  "  logger.info('get');",
  "  return db.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));",
  '}).use(injectLambdaContext(logger));',
].join('\n');

/**
 * The smallest validation the functions could have: zod's mini build (tree-shakable functions in
 * place of methods) with its English messages, one small object schema. Bundled alone: it shares
 * nothing with the SDK, so its bytes add to the floor above.
 */
const ZOD_MINI_ENTRY = [
  "import * as z from 'zod/mini';",
  "import { en } from 'zod/v4/locales';",
  'z.config(en());',
  'const Query = z.object({ ward: z.string().check(z.regex(/^[a-z0-9-]+$/)), limit: z.optional(z.number()) });',
  'export const handler = async (event) => Query.safeParse(event);',
].join('\n');

interface SdkFloor {
  readonly what: string;
  readonly bytes: number;
  readonly loadMs: number;
  readonly loadMsMin: number;
  readonly loadCpuMs: number;
}

async function measureEntry(
  outRoot: string,
  banner: string,
  runs: number,
  name: string,
  what: string,
  contents: string,
): Promise<SdkFloor> {
  const outfile = join(outRoot, name, 'index.mjs');
  await build({
    ...lambdaBuild(banner, lambdaExternals({ access: {} }), outfile),
    stdin: { contents, resolveDir: ROOT, sourcefile: `${name}.ts`, loader: 'ts' },
  });
  const plain: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timeImport(outfile, false, loadEnv());
    plain.push(t.ms);
    cpu.push(t.cpu);
  }
  return {
    what,
    bytes: statSync(outfile).size,
    loadMs: round(median(plain)),
    loadMsMin: round(Math.min(...plain)),
    loadCpuMs: round(median(cpu)),
  };
}

/** The floors a function's bundle and load time stand on, each measured as the functions are. */
interface Floors {
  readonly sdk: SdkFloor;
  readonly handler: SdkFloor;
  readonly zodMini: SdkFloor;
}

async function measureFloors(outRoot: string, banner: string, runs: number): Promise<Floors> {
  return {
    sdk: await measureEntry(
      outRoot,
      banner,
      runs,
      'sdk-floor',
      'DynamoDBDocumentClient + one GetCommand, bundled and loaded as the functions are',
      SDK_FLOOR_ENTRY,
    ),
    handler: await measureEntry(
      outRoot,
      banner,
      runs,
      'handler-floor',
      'the same in a middy handler with the Powertools logger and its context middleware',
      HANDLER_FLOOR_ENTRY,
    ),
    zodMini: await measureEntry(
      outRoot,
      banner,
      runs,
      'zod-mini',
      'zod/mini with its English messages and one small object schema, alone (it shares nothing with the SDK)',
      ZOD_MINI_ENTRY,
    ),
  };
}

export async function measureBundles(
  specs: readonly FunctionSpec[],
  runs: number,
  log: (m: string) => void,
): Promise<{
  bundles: Record<string, BundleResult>;
  check: BundleOptionsCheck;
  skipped: Record<string, string>;
  floors?: Floors;
}> {
  const check = constructOptions();
  const outRoot = join(tmpdir(), `motcua-bench-bundles-${process.pid}`);
  mkdirSync(outRoot, { recursive: true });
  const bundles: Record<string, BundleResult> = {};
  const skipped: Record<string, string> = {};
  const dynamo = await emptyDynamo();
  try {
    const built = new Map<string, { file: string; largest: BundleResult['largest']; zodBytes: number }>();
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
              ...lambdaBuild(check.banner, lambdaExternals(spec), outfile),
              entryPoints: [entry],
              metafile: true,
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
            const statics = staticExternals(readFileSync(outfile, 'utf8'), lambdaExternals(spec));
            if (statics.length) throw new Error(`imports ${statics.join(', ')} statically, which is not bundled`);
            // The construct's after-bundling hook for the reference page: its files and the document.
            if (spec.assets === 'swagger-ui') {
              const dir = dirname(outfile);
              const hook = [
                ...copyCommands(swaggerUiDir(), SWAGGER_UI_FILES, dir, ASSET_DIRS.swaggerUi),
                openApiCommand(dir, ASSET_DIRS.swaggerUi),
              ];
              for (const command of hook) execSync(command, { cwd: ROOT, stdio: 'ignore' });
            }
            const zodBytes = [...groups.entries()]
              .filter(([from]) => from === 'zod' || from.startsWith('zod ('))
              .reduce((sum, [, bytes]) => sum + bytes, 0);
            built.set(spec.name, { file: outfile, largest, zodBytes });
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
        const env = {
          ...loadEnv(),
          ...(spec.assets === 'swagger-ui' ? { [ENV.assetDir]: join(dirname(b.file), ASSET_DIRS.swaggerUi) } : {}),
        };
        const plain: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = await timeImport(b.file, false, env);
          plain.push(t.ms);
          cpu.push(t.cpu);
        }
        const mapped: number[] = [];
        for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
          mapped.push((await timeImport(b.file, true, env)).ms);
        }
        const probe = INIT_EVENTS[spec.name];
        let init: InitCost | undefined;
        if (probe) {
          const samples: { load: number; call: number; status: number | string }[] = [];
          const initEnv = { ...env, [ENV.dynamoEndpoint]: dynamo.url };
          for (let i = 0; i < runs; i++) samples.push(await timeInit(b.file, initEnv, probe.event));
          const wrong = samples.find((x) => x.status !== probe.status);
          if (wrong) throw new Error(`init: ${probe.what} answered ${wrong.status}`);
          const totals = samples.map((x) => x.load + x.call);
          init = {
            event: probe.what,
            status: probe.status,
            loadMs: round(median(samples.map((x) => x.load))),
            firstCallMs: round(median(samples.map((x) => x.call))),
            initMs: round(median(totals)),
            initMsRuns: totals.map((v) => round(v)),
            initMsMin: round(Math.min(...totals)),
          };
        }
        const code = readFileSync(b.file);
        bundles[spec.name] = {
          bytes: code.length,
          gzipBytes: gzipSync(code, { level: 9 }).length,
          sourceMapBytes: existsSync(`${b.file}.map`) ? statSync(`${b.file}.map`).size : 0,
          loadMs: round(median(plain)),
          loadMsRuns: plain.map((v) => round(v)),
          loadMsMin: round(Math.min(...plain)),
          loadCpuMs: round(median(cpu)),
          loadMsWithSourceMaps: round(median(mapped)),
          largest: b.largest,
          zodBytes: b.zodBytes,
          ...(spec.assets ? { assets: `${spec.assets} (copied beside the bundle, not counted)` } : {}),
          ...(init ? { init } : {}),
        };
        const r = bundles[spec.name] as BundleResult;
        log(
          `  ${spec.name.padEnd(18)} ${(r.bytes / 1024).toFixed(1).padStart(7)} KB (gzip ${(r.gzipBytes / 1024).toFixed(1)} KB)` +
            `  load ${r.loadMs} ms (min ${r.loadMsMin}; CPU ${r.loadCpuMs}; with source maps ${r.loadMsWithSourceMaps} ms)` +
            (init ? `; init ${init.initMs} ms (load ${init.loadMs} + first call ${init.firstCallMs})` : ''),
        );
      } catch (e) {
        skipped[spec.name] = `load: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    let floors: Floors | undefined;
    try {
      floors = await measureFloors(outRoot, check.banner, runs);
      for (const [name, f] of Object.entries(floors)) {
        log(
          `  floor (${name}): ${(f.bytes / 1024).toFixed(1)} KB, load ${f.loadMs} ms (min ${f.loadMsMin}; CPU ${f.loadCpuMs})`,
        );
      }
    } catch (e) {
      skipped.floors = e instanceof Error ? (e.message.split('\n')[0] ?? String(e)) : String(e);
    }
    return { bundles, check, skipped, ...(floors ? { floors } : {}) };
  } finally {
    dynamo.close();
    rmSync(outRoot, { recursive: true, force: true });
  }
}
