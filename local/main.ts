/**
 * `npm start`: the whole backend on this machine. PORT (3000), MOTCUA_DATA_DIR (.motcua/) and
 * `--memory` (keep nothing) as in DESIGN.md §7. Ctrl-C stops everything.
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { LOCAL_GATEWAY_DEFAULTS, startRuntime } from './runtime.ts';
import { JavaMissingError } from './servers.ts';

const args = new Set(process.argv.slice(2));
const memory = args.has('--memory');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.MOTCUA_DATA_DIR ?? '.motcua');

function portFree(p: number): Promise<boolean> {
  return new Promise((r) => {
    const s = createServer();
    s.once('error', () => r(false));
    s.listen(p, host, () => s.close(() => r(true)));
  });
}

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT=${process.env.PORT} không hợp lệ / is not a valid port`);
  process.exit(2);
}
if (!(await portFree(port))) {
  console.error(
    `Cổng ${port} đang được dùng bởi chương trình khác. Dừng chương trình đó hoặc chọn cổng khác: PORT=3001 npm start\n` +
      `Port ${port} is already in use. Stop what uses it or pick another: PORT=3001 npm start`,
  );
  process.exit(1);
}

const t0 = Date.now();
let runtime: Awaited<ReturnType<typeof startRuntime>>;
try {
  runtime = await startRuntime({ port, host, dataDir, memory, log: (l) => console.log(l) });
} catch (e) {
  if (e instanceof JavaMissingError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const b = runtime.baseUrl;
const gw = (k: keyof typeof LOCAL_GATEWAY_DEFAULTS) =>
  process.env[k] === LOCAL_GATEWAY_DEFAULTS[k] ? 'local default' : 'from environment';
console.log(`
motcua — Trung tâm Phục vụ hành chính công, local runtime ready in ${((Date.now() - t0) / 1000).toFixed(1)} s

  API              ${b}
  OpenAPI          ${b}/openapi.json
  API reference    ${b}/docs
  Catalog          ${b}/v1/procedures?ward=bimson
  Test tokens      POST ${b}/local/token  {"role":"citizen","sub":"citizen-a"}  (staff: add "ward":"bimson")
  Notifications    ${b}/local/notifications
  Sandbox gateway  ${b}/local/sandbox/vnpay  ·  ${b}/local/sandbox/momo
  National portal  ${process.env.MOTCUA_DVCQG_SANDBOX === '1' ? `sandbox: ${b}/local/sandbox/dvcqg/dossiers/{MaHoSo}` : process.env.DVCQG_SYNC_URL}

  Data             ${memory ? 'in memory (--memory): nothing is kept' : dataDir}
  DynamoDB Local   ${runtime.endpoints.dynamodb}   S3 (s3rver) ${runtime.endpoints.s3}
  SQS (fauxqs)     ${runtime.endpoints.sqs}   EventBridge (local bus) ${runtime.endpoints.events}
  Gateways         VNPay ${gw('VNPAY_HASH_SECRET')}, MoMo ${gw('MOMO_SECRET_KEY')}

Ctrl-C to stop.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await runtime.stop();
  console.log('stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
