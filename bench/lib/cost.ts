/**
 * What one dossier's whole life costs: every AWS request the runtime makes while the life is
 * driven through the API and the asynchronous work it causes runs to its end (outbox relay,
 * consumers, scan checker), counted by SDK middleware, then priced at us-east-1 list prices.
 *
 * Which requests are billed to us in the cloud, and how they are seen here:
 * - the handlers' DynamoDB, S3, SQS and EventBridge requests: the shared clients' middleware,
 *   DynamoDB capacity from ReturnConsumedCapacity: 'TOTAL' (DynamoDB Local answers it, GSIs
 *   included); requests of the local-only routes (token issuer, sandbox gateway) are left out;
 * - EventBridge's deliveries to the consumer queues and S3's notifications to the checker's queue
 *   (SendMessage), and Lambda's SQS event source (ReceiveMessage that brought messages, then
 *   DeleteMessageBatch): the runtime's own SQS client, which plays those parts locally;
 * - the client's presigned PUT of a scan: counted where the bench makes it;
 * - Lambda: one invocation per HTTP request, queue batch and stream batch (middy hooks), GB-s from
 *   the manifest's memory and the measured handler time; API Gateway: one request per HTTP call.
 * Not billed per request, so not counted: DynamoDB Streams reads by Lambda, TTL deletes, presigning.
 */
import { queueName } from '#wiring/definitions.ts';
import { type FunctionSpec, functions } from '#wiring/manifest.ts';
import { type Api, dossierLife, type LifeStep, type Procedures, type Tokens } from './api.ts';
import { PRICES, type PriceName } from './prices.ts';
import type { Invocation, Probe, Recording, TaggedCall } from './probe.ts';
import { round } from './stats.ts';

const S3_PUT_CLASS = new Set([
  'PutObject',
  'CopyObject',
  'PostObject',
  'ListObjects',
  'ListObjectsV2',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
]);
const S3_FREE = new Set(['DeleteObject', 'DeleteObjects', 'AbortMultipartUpload']);
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const CHUNK = 64 * 1024;
/** Requests (SQS) or events (EventBridge) a payload is billed as: one per 64 KB started, at least one. */
const chunksOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / CHUNK));

/** Billable units of one dossier's life (or of one schedule run). */
export interface Units {
  dynamoWRU: number;
  /** The part of dynamoWRU spent on the GSIs (DynamoDB Local's account, ReturnConsumedCapacity INDEXES). */
  dynamoWRUForIndexes: number;
  /** GSI units of transactional writes: DynamoDB Local doubles them like the table's. */
  dynamoWRUForIndexesInTransactions: number;
  /** All units (table and GSIs) of TransactWriteItems calls, billed twice a plain write's. */
  dynamoWRUInTransactions: number;
  dynamoRRU: number;
  dynamoRequests: number;
  /** Writes that failed a condition: DynamoDB still bills them; estimated at their item count. */
  dynamoFailedWrites: number;
  s3Put: number;
  s3Get: number;
  sqsRequests: number;
  /** The part of sqsRequests on the queues that rules feed (delivery of bus events to consumers). */
  sqsRequestsForBusDeliveries: number;
  eventBridgeEvents: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  apiRequests: number;
  logBytes: number;
}

const emptyUnits = (): Units => ({
  dynamoWRU: 0,
  dynamoWRUForIndexes: 0,
  dynamoWRUForIndexesInTransactions: 0,
  dynamoWRUInTransactions: 0,
  dynamoRRU: 0,
  dynamoRequests: 0,
  dynamoFailedWrites: 0,
  s3Put: 0,
  s3Get: 0,
  sqsRequests: 0,
  sqsRequestsForBusDeliveries: 0,
  eventBridgeEvents: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  apiRequests: 0,
  logBytes: 0,
});

/** Lambda's JSON platform lines per invocation (platform.start and platform.report): an estimate. */
const PLATFORM_LOG_BYTES = 500;

const bytesOf = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? ''));

/** Who a call is billed to, and as what. */
function classify(c: TaggedCall): { billed: boolean; as: string } {
  if (c.presigned) return { billed: false, as: 'presigned URL (no request)' };
  if (c.client === 'runtime') {
    if (c.origin === 'local/event-bus.ts') return { billed: true, as: 'EventBridge rule -> SQS delivery' };
    if (c.origin === 'local/runtime.ts') return { billed: true, as: 'S3 notification -> SQS' };
    if (c.origin === 'local/queues.ts') {
      if (c.operation === 'ReceiveMessage' && !c.messages) return { billed: false, as: 'idle long poll (fixed cost)' };
      return { billed: true, as: 'Lambda SQS event source' };
    }
    return { billed: false, as: `local runtime (${c.origin ?? 'unknown'})` };
  }
  if (c.origin?.startsWith('local/')) return { billed: false, as: `local-only route (${c.origin})` };
  return { billed: true, as: c.origin ?? 'unknown' };
}

function add(u: Units, c: TaggedCall): void {
  switch (c.service) {
    case 'dynamodb': {
      u.dynamoRequests++;
      const write = DYNAMO_WRITES.has(c.operation);
      if (c.error) {
        if (write) {
          const items = (c.input.TransactItems as unknown[] | undefined)?.length ?? 1;
          u.dynamoFailedWrites++;
          u.dynamoWRU += c.operation === 'TransactWriteItems' ? 2 * items : items;
        } else u.dynamoRRU += 0.5;
      } else if (write) {
        u.dynamoWRU += c.capacityUnits ?? 0;
        u.dynamoWRUForIndexes += c.indexCapacityUnits ?? 0;
        if (c.operation === 'TransactWriteItems') {
          u.dynamoWRUForIndexesInTransactions += c.indexCapacityUnits ?? 0;
          u.dynamoWRUInTransactions += c.capacityUnits ?? 0;
        }
      } else u.dynamoRRU += c.capacityUnits ?? 0;
      return;
    }
    case 's3':
      if (S3_FREE.has(c.operation)) return;
      if (S3_PUT_CLASS.has(c.operation)) u.s3Put++;
      else u.s3Get++;
      return;
    case 'sqs': {
      const before = u.sqsRequests;
      countSqs(u, c);
      if (c.origin === 'local/event-bus.ts' || isBusQueue(c.input.QueueUrl)) {
        u.sqsRequestsForBusDeliveries += u.sqsRequests - before;
      }
      return;
    }
    case 'events': {
      if (c.operation !== 'PutEvents') return;
      for (const e of (c.input.Entries as unknown[] | undefined) ?? []) {
        u.eventBridgeEvents += chunksOf(bytesOf(e));
      }
      return;
    }
    default:
      return;
  }
}

/** SQS requests of one call, as SQS bills them (each 64 KB of a payload is one request). */
function countSqs(u: Units, c: TaggedCall): void {
  if (c.operation === 'SendMessage') u.sqsRequests += chunksOf(bytesOf(c.input.MessageBody));
  else if (c.operation === 'SendMessageBatch' && c.origin === 'local/event-bus.ts') {
    // EventBridge delivers each event to an SQS target with its own SendMessage; the local
    // bus batches them: bill them as EventBridge would.
    for (const e of (c.input.Entries as { MessageBody?: string }[] | undefined) ?? []) {
      u.sqsRequests += chunksOf(bytesOf(e.MessageBody));
    }
  } else if (c.operation === 'SendMessageBatch') {
    const bytes = ((c.input.Entries as { MessageBody?: string }[] | undefined) ?? []).reduce(
      (n, e) => n + bytesOf(e.MessageBody),
      0,
    );
    u.sqsRequests += chunksOf(bytes);
  } else u.sqsRequests++;
}

/** Queues that EventBridge rules feed (the bus consumers'), by their local names. */
const BUS_QUEUES = functions.filter((f) => f.queue?.rules?.length).map((f) => `/${queueName(f.name)}`);
const isBusQueue = (url: unknown): boolean => typeof url === 'string' && BUS_QUEUES.some((q) => url.endsWith(q));

function addInvocation(u: Units, inv: Invocation, memoryMb: number): void {
  u.lambdaInvocations++;
  // Billed in 1 ms steps; a hook that did not run (rejected before the handler) counts 1 ms.
  u.lambdaGbSeconds += (memoryMb / 1024) * (Math.max(1, Math.ceil(inv.ms ?? 1)) / 1000);
  if (inv.kind === 'http') u.apiRequests++;
  u.logBytes += PLATFORM_LOG_BYTES;
}

export interface CostLine {
  readonly units: number;
  readonly price: PriceName;
  readonly usdPer1000Dossiers: number;
}

function price(u: Units): { lines: Record<string, CostLine>; total: number; withLogs: number } {
  const line = (units: number, p: PriceName): CostLine => ({
    units: round(units, 4),
    price: p,
    usdPer1000Dossiers: round(units * PRICES[p].usd * 1000, 6),
  });
  const lines: Record<string, CostLine> = {
    dynamoWrites: line(u.dynamoWRU, 'dynamoWriteRequestUnit'),
    dynamoReads: line(u.dynamoRRU, 'dynamoReadRequestUnit'),
    s3Put: line(u.s3Put, 's3PutRequest'),
    s3Get: line(u.s3Get, 's3GetRequest'),
    sqs: line(u.sqsRequests, 'sqsRequest'),
    eventBridge: line(u.eventBridgeEvents, 'eventBridgeEvent'),
    lambdaRequests: line(u.lambdaInvocations, 'lambdaRequest'),
    lambdaDuration: line(u.lambdaGbSeconds, 'lambdaArmGbSecond'),
    apiGateway: line(u.apiRequests, 'apiGatewayHttpRequest'),
  };
  const total = Object.values(lines).reduce((n, l) => n + l.usdPer1000Dossiers, 0);
  const logs = (u.logBytes / 2 ** 30) * PRICES.cloudWatchLogsIngestedGB.usd * 1000;
  return { lines, total: round(total, 6), withLogs: round(total + logs, 6) };
}

export interface StepCost {
  readonly step: string;
  readonly done: boolean;
  readonly note?: string;
  readonly dynamoWRU: number;
  readonly dynamoRRU: number;
  readonly awsRequests: number;
  readonly invocations: string[];
}

/** A key with its per-dossier parts replaced: `<id>` (UUIDs), `<code>` (dossier codes), `<day>`. */
function keyShape(v: string): string {
  return v
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/[A-Z0-9.]+-\d{8}-\d{4,}/g, '<code>')
    .replace(/\d{4}-\d{2}-\d{2}T[0-9:.]+Z/g, '<time>')
    .replace(/(?<![0-9])\d{8}(?![0-9])/g, '<day>');
}

/** Partition keys (table and GSI) of every item written: which ones all dossiers share. */
function writtenKeys(calls: readonly TaggedCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  const note = (attr: string, v: unknown) => {
    if (typeof v !== 'string') return;
    const k = `${attr}=${keyShape(v)}`;
    out[k] = (out[k] ?? 0) + 1;
  };
  const item = (x: Record<string, unknown> | undefined) => {
    if (!x) return;
    for (const a of ['PK', 'GSI1PK', 'GSI2PK', 'GSI3PK']) note(a, x[a]);
  };
  for (const c of calls) {
    if (c.service !== 'dynamodb' || !DYNAMO_WRITES.has(c.operation) || c.error) continue;
    const i = c.input as any;
    if (c.operation === 'PutItem') item(i.Item);
    else if (c.operation === 'UpdateItem' || c.operation === 'DeleteItem') item(i.Key);
    else if (c.operation === 'TransactWriteItems') {
      for (const t of i.TransactItems ?? []) item(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key);
    } else if (c.operation === 'BatchWriteItem') {
      for (const reqs of Object.values(i.RequestItems ?? {}) as any[][]) {
        for (const r of reqs) item(r.PutRequest?.Item ?? r.DeleteRequest?.Key);
      }
    }
  }
  return out;
}

/** An item's size by DynamoDB's rules: attribute names and values, 3 bytes per list or map, 1 per element. */
function itemBytes(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.]|e.*$/g, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + itemBytes(x), 0);
  if (typeof v === 'object') {
    return (
      3 +
      Object.entries(v as Record<string, unknown>).reduce(
        (n, [k, x]) => (x === undefined ? n : n + 1 + Buffer.byteLength(k) + itemBytes(x)),
        0,
      )
    );
  }
  return 0;
}

const topLevelBytes = (item: Record<string, unknown>) => itemBytes(item) - 3 - Object.keys(item).length;

/**
 * Table write units by kind of item (`entity`, or the key's prefix), estimated from the items'
 * sizes: 1 WRU per KB, twice in a transaction. Updates are counted at their key's size. The
 * indexes project keys only, so an index is written only when an item's index keys change, which
 * the request alone does not tell: their units are measured in total (`units.dynamoWRUForIndexes`).
 * An estimate to see what dominates; the measured total is DynamoDB Local's.
 */
function wruByEntity(calls: readonly TaggedCall[]): Record<string, { items: number; table: number }> {
  const out: Record<string, { items: number; table: number }> = {};
  const add = (x: Record<string, unknown> | undefined, txn: boolean) => {
    if (!x) return;
    const kind = typeof x.entity === 'string' ? x.entity : String(x.PK ?? '?').split('#')[0] || '?';
    const kb = Math.max(1, Math.ceil(topLevelBytes(x) / 1024)) * (txn ? 2 : 1);
    const e = out[kind] ?? { items: 0, table: 0 };
    out[kind] = e;
    e.items++;
    e.table += kb;
  };
  for (const c of calls) {
    if (c.service !== 'dynamodb' || !DYNAMO_WRITES.has(c.operation) || c.error) continue;
    const i = c.input as any;
    if (c.operation === 'PutItem') add(i.Item, false);
    else if (c.operation === 'UpdateItem' || c.operation === 'DeleteItem') add(i.Key, false);
    else if (c.operation === 'TransactWriteItems') {
      for (const t of i.TransactItems ?? []) add(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key, true);
    }
  }
  return out;
}

export interface CostResult {
  readonly procedure: { id: string; fee: number };
  readonly paidOnline: boolean;
  readonly units: Units;
  /**
   * Sensitivity: DynamoDB Local bills a transaction's GSI writes twice, like its table writes; if AWS
   * bills them once, the life costs this many WRU.
   */
  readonly dynamoWRUIfTransactionsDoNotDoubleIndexWrites: number;
  readonly perDossierUSD: number;
  readonly costPer1000DossiersUSD: number;
  readonly costPer1000DossiersWithLogsUSD: number;
  readonly breakdown: Record<string, CostLine>;
  readonly steps: readonly StepCost[];
  /** Billed requests by who made them (function file or AWS integration). */
  readonly byOrigin: Record<string, Record<string, number>>;
  readonly invocations: Record<string, { count: number; gbSeconds: number; msP50?: number }>;
  /** Relay invocations whose batch held no outbox INSERT: an event source filter would drop them. */
  readonly relayBatchesWithoutOutbox: number;
  readonly notBilled: Record<string, number>;
  /** WRU by kind of item, estimated from item sizes (see wruByEntity); compare with units.dynamoWRU. */
  readonly wruByEntityEstimate: Record<string, { items: number; table: number }>;
  /** Partition keys written during the life, per-dossier parts masked (see keyShape). */
  readonly keysWritten: Record<string, number>;
  readonly schedules: Record<string, { units: Units; usdPerRun: number; runsPerMonth: number; usdPerMonth: number }>;
  readonly notes: readonly string[];
}

function tally(rec: Recording, mem: (fn: string) => number, directs: number) {
  const u = emptyUnits();
  const byOrigin: Record<string, Record<string, number>> = {};
  const notBilled: Record<string, number> = {};
  for (const c of rec.calls) {
    const k = classify(c);
    const key = `${c.service}:${c.operation}${c.error ? ` (failed: ${c.error})` : ''}`;
    if (!k.billed) {
      notBilled[`${k.as} ${key}`] = (notBilled[`${k.as} ${key}`] ?? 0) + 1;
      continue;
    }
    add(u, c);
    const o = byOrigin[k.as] ?? {};
    byOrigin[k.as] = o;
    o[key] = (o[key] ?? 0) + 1;
    if (c.service === 'dynamodb') {
      const unitKey = DYNAMO_WRITES.has(c.operation) ? 'dynamo WRU' : 'dynamo RRU';
      o[unitKey] = round((o[unitKey] ?? 0) + (c.capacityUnits ?? 0), 2);
      if (c.indexCapacityUnits)
        o['dynamo WRU on GSIs'] = round((o['dynamo WRU on GSIs'] ?? 0) + c.indexCapacityUnits, 2);
    }
  }
  u.s3Put += directs;
  if (directs) byOrigin['client (presigned PUT)'] = { 's3:PutObject': directs };
  for (const inv of rec.invocations) addInvocation(u, inv, mem(inv.fn));
  u.logBytes += rec.logBytes;
  return { u, byOrigin, notBilled };
}

/** Captures what the handlers log (Powertools writes JSON lines to stdout) and counts the bytes. */
async function withLogCapture<T>(rec: () => Recording | undefined, run: () => Promise<T>): Promise<T> {
  const { logger } = await import('#functions/lib/powertools.ts');
  const write = process.stdout.write;
  const level = process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR';
  // In the cloud the functions log at INFO (Powertools' default); the bench runs at ERROR.
  logger.setLogLevel('INFO');
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const r = rec();
    if (r) {
      r.logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      r.logLines++;
    }
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return await run();
  } finally {
    process.stdout.write = write;
    logger.setLogLevel(level as 'ERROR');
  }
}

export async function measureCost(
  api: Api,
  t: Tokens,
  procs: Procedures,
  probe: Probe,
  specs: readonly FunctionSpec[],
  runSchedule: (name: string) => Promise<void>,
  log: (m: string) => void,
): Promise<CostResult> {
  const mem = (fn: string) => specs.find((s) => s.name === fn)?.memoryMb ?? 256;
  const procedure = procs.onlineFee;
  const quiet = async (): Promise<void> => {
    if (!(await probe.quiet(500, 30_000))) log('  (warning: the runtime did not go quiet within 30 s)');
  };
  // A first life, not counted: loads and compiles every module on the path, warms the caches.
  // Only the scan changes the dossier behind the client's back (the checker bumps its version).
  await dossierLife(api, t, procedure, 1, {
    after: (step) => (step.startsWith('upload') ? quiet() : Promise.resolve()),
    direct: () => undefined,
  });
  await quiet();

  const remove = probe.instrumentSdk({ capacity: true, origin: true });
  let directs = 0;
  const marks: { step: string; calls: number; invocations: number }[] = [];
  let rec!: Recording;
  let life!: Awaited<ReturnType<typeof dossierLife>>;
  try {
    probe.startRecording();
    life = await withLogCapture(
      () => probe.recording,
      () =>
        dossierLife(api, t, procedure, 2, {
          after: async (step) => {
            await quiet();
            const r = probe.recording as Recording;
            marks.push({ step, calls: r.calls.length, invocations: r.invocations.length });
          },
          direct: () => {
            directs++;
          },
        }),
    );
    rec = probe.stopRecording();
  } finally {
    remove();
  }
  const { u, byOrigin, notBilled } = tally(rec, mem, directs);
  const priced = price(u);

  const steps: StepCost[] = [];
  let c0 = 0;
  let i0 = 0;
  for (const [k, m] of marks.entries()) {
    const s = life.steps[k] as LifeStep;
    const calls = rec.calls.slice(c0, m.calls).filter((c) => classify(c).billed);
    const part = emptyUnits();
    for (const c of calls) add(part, c);
    steps.push({
      step: m.step,
      done: s.done,
      ...(s.note ? { note: s.note } : {}),
      dynamoWRU: round(part.dynamoWRU, 2),
      dynamoRRU: round(part.dynamoRRU, 2),
      awsRequests: calls.length,
      invocations: rec.invocations.slice(i0, m.invocations).map((x) => `${x.fn}:${x.kind}`),
    });
    c0 = m.calls;
    i0 = m.invocations;
  }

  const invocations: CostResult['invocations'] = {};
  for (const inv of rec.invocations) {
    const name = `${inv.fn} (${inv.kind})`;
    const e = invocations[name] ?? { count: 0, gbSeconds: 0 };
    invocations[name] = e;
    e.count++;
    e.gbSeconds = round(e.gbSeconds + (mem(inv.fn) / 1024) * (Math.max(1, Math.ceil(inv.ms ?? 1)) / 1000), 5);
  }
  const relayBatchesWithoutOutbox = rec.invocations.filter((x) => x.kind === 'stream' && !x.outboxInserts).length;

  // The schedules run whatever the traffic: a fixed cost per deployment, one run each measured.
  const schedules: CostResult['schedules'] = {};
  for (const spec of specs) {
    for (const s of spec.schedules ?? []) {
      const removeS = probe.instrumentSdk({ capacity: true, origin: true });
      probe.startRecording();
      try {
        await runSchedule(s.name);
      } catch (e) {
        log(`  schedule ${s.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await quiet();
      const r = probe.stopRecording();
      removeS();
      const { u: su } = tally(r, mem, 0);
      // A scheduled run is a Lambda invocation without API Gateway.
      const perRun = price(su).total / 1000;
      const runsPerMonth = Math.round((30 * 24 * 60) / s.everyMinutes);
      schedules[s.name] = {
        units: su,
        usdPerRun: round(perRun, 9),
        runsPerMonth,
        usdPerMonth: round(perRun * runsPerMonth, 5),
      };
    }
  }

  const notes = [
    'Counted from one life after a warm-up life (caches warm, modules loaded): cold starts are not in the figures; ' +
      'since 2025-08-01 their INIT time is billed too (module load time of the bundles below × memory).',
    'Lambda duration is the handler time measured here (x86, busy machine, TypeScript through tsx), billed in 1 ms ' +
      'steps at arm64 prices: an order of magnitude, not a forecast.',
    'Idle costs are not per dossier: Lambda polling an empty SQS queue (a few requests a minute per queue), the ' +
      'schedules (below), storage (S3 ~$0.023/GB-month for the scans, DynamoDB $0.25/GB-month).',
    'TTL deletions are free, but each expired item (outbox, dedup markers, sequence counters) reaches the table ' +
      'stream later and wakes the outbox relay: more relay invocations than counted here unless the event source ' +
      'mapping filters on entity = outbox and eventName = INSERT.',
  ];
  return {
    procedure: { id: procedure.id, fee: procedure.fee },
    paidOnline: life.paidOnline,
    units: { ...u, lambdaGbSeconds: round(u.lambdaGbSeconds, 5), dynamoWRU: round(u.dynamoWRU, 2) },
    dynamoWRUIfTransactionsDoNotDoubleIndexWrites: round(u.dynamoWRU - u.dynamoWRUForIndexesInTransactions / 2, 2),
    perDossierUSD: round(priced.total / 1000, 9),
    costPer1000DossiersUSD: round(priced.total, 5),
    costPer1000DossiersWithLogsUSD: round(priced.withLogs, 5),
    breakdown: priced.lines,
    steps,
    byOrigin,
    invocations,
    relayBatchesWithoutOutbox,
    notBilled,
    keysWritten: writtenKeys(rec.calls.filter((c) => classify(c).billed)),
    wruByEntityEstimate: wruByEntity(rec.calls.filter((c) => classify(c).billed)),
    schedules,
    notes,
  };
}
