/**
 * The local runtime: the whole backend on one machine. Real servers that speak the AWS wire
 * protocols, the same handlers as the cloud, wired from the same manifest and definitions.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { DynamoWardDirectory } from '#functions/adapters/dynamo-wards.ts';
import { keys } from '#functions/adapters/keys.ts';
import { ConflictError } from '#shared/errors.ts';
import { SEED_WARDS } from '#shared/wards.ts';
import {
  DEAD_LETTER_RETENTION_S,
  DELIVERY,
  dlqName,
  ENV,
  LOCAL_NAMES,
  scheduledEventOf,
  TABLE,
} from '#wiring/definitions.ts';
import { type FunctionSpec, functions } from '#wiring/manifest.ts';
import { demoCatalog } from './demo-data.ts';
import { rulesFromManifest, startEventBus } from './event-bus.ts';
import { lambdaContext, startGateway } from './gateway.ts';
import { createIssuer, LOCAL_AUDIENCE, type LocalIssuer } from './jwt.ts';
import { localRoutes } from './local-routes.ts';
import { createQueues, type LocalQueue, startPoller } from './queues.ts';
import { SANDBOX_DVCQG } from './sandbox-dvcqg.ts';
import { startDynamoDbLocal, startS3Local, startSqsLocal } from './servers.ts';
import { fileCheckpoints, type StreamHandler, startStreamReader } from './streams.ts';

export const LOCAL_GATEWAY_DEFAULTS = {
  VNPAY_TMN_CODE: 'MOTCUALOCAL',
  VNPAY_HASH_SECRET: 'LOCALVNPAYSECRETFORDEVELOPMENTONLY',
  MOMO_PARTNER_CODE: 'MOMOLOCAL',
  MOMO_ACCESS_KEY: 'localaccesskey',
  MOMO_SECRET_KEY: 'localmomosecretfordevelopmentonly',
} as const;

interface RuntimeOptions {
  readonly port: number;
  readonly host?: string;
  /** Where data is kept between runs; ignored with `memory`. */
  readonly dataDir: string;
  readonly memory: boolean;
  /** Seconds before a failed queue record is retried (Lambda: the visibility timeout). */
  readonly retryDelayS?: number;
  /** Seeds the demo catalog (default true). */
  readonly seed?: boolean;
  /** Start the schedules' timers (default true). */
  readonly schedules?: boolean;
  readonly log?: (line: string) => void;
  /** Settings put into the environment before anything starts (e.g. DVCQG_* to use another portal). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The per-IP limit of the throttled public routes (the manifest's by default); `false` turns it
   * off, for the benchmark, whose load generator is one client on purpose.
   */
  readonly publicRateLimit?: { readonly requests: number; readonly windowS: number } | false;
}

export interface Runtime {
  readonly baseUrl: string;
  readonly endpoints: { dynamodb: string; s3: string; sqs: string; events: string };
  readonly queues: ReadonlyMap<string, LocalQueue>;
  readonly issuer: LocalIssuer;
  readonly sqs: SQSClient;
  /** Stops the outbox relay (as if its process died) and starts it again. */
  stopRelay(): Promise<void>;
  startRelay(wrap?: (h: StreamHandler) => StreamHandler): void;
  /** The same for any table stream reader of the manifest (the statistics). */
  stopStreamReader(name: string): Promise<void>;
  startStreamReader(name: string, wrap?: (h: StreamHandler) => StreamHandler): void;
  /** Runs one schedule now, as its timer would. */
  runSchedule(name: string): Promise<void>;
  /** Stops DynamoDB Local and starts it again on the same port and data (a restart mid-run). */
  restartDynamoDb(): Promise<void>;
  stop(): Promise<void>;
}

const REGION = process.env.AWS_REGION ?? 'ap-southeast-1';

export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  const log = o.log ?? (() => undefined);
  const host = o.host ?? '127.0.0.1';
  const dataDir = resolve(o.dataDir);
  if (!o.memory) mkdirSync(dataDir, { recursive: true });
  const s3Dir = o.memory ? join(dataDir, `s3-memory-${process.pid}-${Date.now()}`) : join(dataDir, 's3');

  let [ddb, s3, sqsServer] = await Promise.all([
    startDynamoDbLocal(o.memory ? undefined : join(dataDir, 'dynamodb')),
    startS3Local(s3Dir, LOCAL_NAMES.bucket, !o.memory),
    startSqsLocal(),
  ]);
  const stoppers: (() => Promise<unknown>)[] = [() => ddb.stop(), () => s3.stop(), () => sqsServer.stop()];
  const ddbPort = Number(new URL(ddb.endpoint).port);
  try {
    // Every handler in this process reads its configuration from the environment, as in Lambda.
    process.env.AWS_REGION = REGION;
    // Lambda runs Node 22; this machine's Node 20 is fine for the pinned SDK (see README).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    process.env[ENV.local] = '1';
    process.env[ENV.table] = LOCAL_NAMES.table;
    process.env[ENV.bucket] = LOCAL_NAMES.bucket;
    process.env[ENV.bus] = LOCAL_NAMES.bus;
    process.env[ENV.dynamoEndpoint] = ddb.endpoint;
    process.env[ENV.streamsEndpoint] = ddb.endpoint;
    process.env[ENV.s3Endpoint] = s3.endpoint;
    process.env[ENV.sqsEndpoint] = sqsServer.endpoint;
    for (const [k, v] of Object.entries(LOCAL_GATEWAY_DEFAULTS)) process.env[k] ??= v;
    for (const [k, v] of Object.entries(o.env ?? {})) process.env[k] = v;
    // The local stand-in for the KMS signing key: kept with the data, so signed results verify after a restart.
    if (!o.memory) process.env.MOTCUA_SIGNING_KEY_FILE ??= join(dataDir, 'result-signing-key.pem');
    const baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${o.port}`;
    // Links (QR codes, pay pages, the sandbox's IPN call) point at this runtime, whatever a parent
    // process had set; MOTCUA_LOCAL_PUBLIC_URL overrides it (behind a proxy, on a LAN address).
    process.env[ENV.publicBaseUrl] = process.env.MOTCUA_LOCAL_PUBLIC_URL ?? baseUrl;
    // The national portal: the sandbox inside this runtime unless DVCQG_SYNC_URL points elsewhere.
    if (o.env?.DVCQG_SYNC_URL) delete process.env.MOTCUA_DVCQG_SANDBOX;
    if (!process.env.DVCQG_SYNC_URL || process.env.MOTCUA_DVCQG_SANDBOX === '1') {
      process.env.MOTCUA_DVCQG_SANDBOX = '1';
      process.env.DVCQG_AUTH_URL = `${baseUrl}/local/sandbox/dvcqg/auth`;
      process.env.DVCQG_SYNC_URL = `${baseUrl}/local/sandbox/dvcqg/sync`;
      process.env.DVCQG_USERNAME = SANDBOX_DVCQG.username;
      process.env.DVCQG_PASSWORD = SANDBOX_DVCQG.password;
      process.env.DVCQG_UNIT_CODE = SANDBOX_DVCQG.unitCode;
    }
    // The driven clock (POST /local/clock) starts at real time in every runtime.
    delete process.env.MOTCUA_CLOCK_OFFSET_MS;

    const db = new DynamoDBClient({ endpoint: ddb.endpoint, region: REGION });
    await ensureTable(db);
    // The wards are data now (the directory in the table); the seed adds the demo wards if missing.
    await seedWards(DynamoDBDocumentClient.from(db));
    if (o.seed !== false) await seedCatalog(DynamoDBDocumentClient.from(db));

    const sqs = new SQSClient({ endpoint: sqsServer.endpoint, region: REGION });
    const queues = await createQueues(sqs, functions);
    const bus = await startEventBus(
      sqs,
      rulesFromManifest((fn) => queues.get(fn)?.url as string),
      REGION,
    );
    stoppers.push(() => new Promise((r) => bus.server.close(r)));
    process.env[ENV.eventsEndpoint] = bus.endpoint;

    const issuer = await createIssuer('urn:motcua:local', o.memory ? undefined : dataDir);
    // The kiosks function signs device tokens with the same key, so the gateway verifies them (local only).
    process.env.MOTCUA_LOCAL_TOKEN_KEY = JSON.stringify(issuer.signingJwk());
    process.env.MOTCUA_LOCAL_TOKEN_ISSUER = issuer.issuer;
    process.env.MOTCUA_LOCAL_TOKEN_AUDIENCE = LOCAL_AUDIENCE;
    const modules = new Map<string, Promise<unknown>>();
    const load = (fn: FunctionSpec): Promise<unknown> => {
      let m = modules.get(fn.name);
      if (!m) {
        m = fn.localOnly
          ? Promise.resolve({ handler: localRoutes({ issuer, runSchedule: (n) => runSchedule(n) }) })
          : import(`../functions/${fn.name}.ts`);
        modules.set(fn.name, m);
      }
      return m;
    };

    // S3 object-created notifications into the queues that asked for them. A notification is sent
    // after the object's write has answered, so the runtime keeps the sends in flight and waits for
    // them before it stops the queue server: a write that lands while the runtime stops (a consumer
    // finishing its batch) would otherwise send to a closed port, its failure nobody's to handle.
    const notifications = new Set<Promise<unknown>>();
    stoppers.push(() => Promise.all(notifications));
    s3.onObjectCreated((bucket, key, size, eventName) => {
      for (const q of queues.values()) {
        const prefix = q.fn.queue?.s3ObjectCreatedPrefix;
        if (prefix === undefined || !key.startsWith(prefix)) continue;
        const record = {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: REGION,
          eventTime: new Date().toISOString(),
          eventName: eventName.replace(/^s3:/, ''),
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
            object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size },
          },
        };
        const sent = sqs
          .send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ Records: [record] }) }))
          .catch((e: unknown) =>
            console.error(`[s3 notification] ${key} not delivered:`, e instanceof Error ? e.message : e),
          )
          .finally(() => notifications.delete(sent));
        notifications.add(sent);
      }
    });

    const pollers = [...queues.values()].map((q) =>
      startPoller(sqs, q, () => load(q.fn), { retryDelayS: o.retryDelayS ?? 2, region: REGION }),
    );
    stoppers.push(() => Promise.all(pollers.map((p) => p.stop())));

    // Every table stream reader of the manifest (the relay, the statistics), each with its own
    // checkpoint and dead-letter queue, as each has its own mapping in the cloud.
    const streams = new DynamoDBStreamsClient({ endpoint: ddb.endpoint, region: REGION });
    const readers = new Map<string, { stop(): Promise<void> }>();
    // One checkpoint store per reader for the runtime's life: a reader stopped and started again
    // (the kill tests) resumes where it was, in memory as on disk.
    const checkpointsByReader = new Map<string, ReturnType<typeof fileCheckpoints>>();
    const checkpointsOf = (fn: FunctionSpec) => {
      let c = checkpointsByReader.get(fn.name);
      if (!c) {
        // (The relay's file kept its first name, so that data kept from earlier runs resumes where it was.)
        const file = fn.access.eventBus ? 'relay-checkpoint.json' : `${fn.name}-checkpoint.json`;
        c = fileCheckpoints(o.memory ? undefined : join(dataDir, file));
        checkpointsByReader.set(fn.name, c);
      }
      return c;
    };
    const startReader = (fn: FunctionSpec, wrap: (h: StreamHandler) => StreamHandler = (h) => h) => {
      const stream = fn.tableStream;
      if (!stream) return;
      readers.set(
        fn.name,
        startStreamReader({
          db,
          streams,
          table: LOCAL_NAMES.table,
          region: REGION,
          label: fn.name,
          batchSize: stream.batchSize,
          ...(stream.filters ? { filters: stream.filters } : {}),
          // The cloud mapping's limits, then the function's dead-letter queue (as in the cloud).
          retry: DELIVERY.stream,
          deadLetter: { sqs, queueName: dlqName(fn.name), retentionS: DEAD_LETTER_RETENTION_S },
          checkpoints: checkpointsOf(fn),
          handler: async () => {
            const mod = (await load(fn)) as {
              handler: (e: DynamoDBStreamEvent, c: ReturnType<typeof lambdaContext>) => ReturnType<StreamHandler>;
            };
            return wrap((e) => mod.handler(e, lambdaContext(fn.name, fn.timeoutS)));
          },
        }),
      );
    };
    const stopReader = async (name: string) => {
      await readers.get(name)?.stop();
      readers.delete(name);
    };
    for (const fn of functions) startReader(fn);
    stoppers.push(() => Promise.all([...readers.keys()].map(stopReader)));
    // The relay (the one publisher) can be stopped and started again by the kill tests.
    const relayFn = functions.find((f) => f.access.eventBus && f.tableStream);
    const startRelay = (wrap?: (h: StreamHandler) => StreamHandler) => {
      if (relayFn) startReader(relayFn, wrap);
    };

    const schedules = functions.flatMap((fn) => (fn.schedules ?? []).map((s) => ({ fn, s })));
    const runSchedule = async (name: string) => {
      const entry = schedules.find((x) => x.s.name === name);
      if (!entry) throw new Error(`no schedule ${name}`);
      const mod = (await load(entry.fn)) as { handler: (e: ScheduledEvent, c: unknown) => Promise<unknown> };
      const event = scheduledEventOf({
        id: crypto.randomUUID(),
        account: '000000000000',
        time: new Date().toISOString(),
        region: REGION,
        resource: `schedule/${name}`,
      }) as ScheduledEvent;
      await mod.handler(event, lambdaContext(entry.fn.name, entry.fn.timeoutS));
    };
    if (o.schedules !== false) {
      const timers = schedules.map(({ s }) =>
        setInterval(() => {
          runSchedule(s.name).catch((e: unknown) => log(`[schedule ${s.name}] ${String(e)}`));
        }, s.everyMinutes * 60_000),
      );
      stoppers.push(async () => {
        for (const t of timers) clearInterval(t);
      });
    }

    const server: Server = await startGateway({
      port: o.port,
      host,
      issuer,
      load,
      ...(o.publicRateLimit !== undefined ? { publicRateLimit: o.publicRateLimit } : {}),
    });
    stoppers.push(() => new Promise((r) => server.close(() => r(undefined))));
    server.closeIdleConnections?.();

    return {
      baseUrl,
      endpoints: { dynamodb: ddb.endpoint, s3: s3.endpoint, sqs: sqsServer.endpoint, events: bus.endpoint },
      queues,
      issuer,
      sqs,
      stopRelay: () => (relayFn ? stopReader(relayFn.name) : Promise.resolve()),
      startRelay,
      stopStreamReader: stopReader,
      startStreamReader: (name, wrap) => {
        const fn = functions.find((f) => f.name === name && f.tableStream);
        if (!fn) throw new Error(`${name} reads no table stream`);
        startReader(fn, wrap);
      },
      runSchedule,
      restartDynamoDb: async () => {
        await ddb.stop();
        ddb = await startDynamoDbLocal(o.memory ? undefined : join(dataDir, 'dynamodb'), ddbPort);
      },
      stop: async () => {
        // Front first (no new requests), then the workers, then the servers.
        for (const s of stoppers.reverse()) {
          try {
            await s();
          } catch {
            // best effort on the way out
          }
        }
        server.closeAllConnections?.();
      },
    };
  } catch (e) {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    throw e;
  }
}

async function ensureTable(db: DynamoDBClient): Promise<void> {
  try {
    await db.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.table }));
    return;
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'ResourceNotFoundException') throw e;
  }
  const attrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const i of TABLE.indexes) {
    attrs.add(i.partitionKey);
    attrs.add(i.sortKey);
  }
  await db.send(
    new CreateTableCommand({
      TableName: LOCAL_NAMES.table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: i.projection },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await db.send(
    new UpdateTimeToLiveCommand({
      TableName: LOCAL_NAMES.table,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

/** Adds the seed wards (shared/wards.ts) that are missing; never overwrites what the province changed. */
async function seedWards(doc: DynamoDBDocumentClient): Promise<void> {
  const directory = new DynamoWardDirectory(doc, LOCAL_NAMES.table);
  const at = new Date().toISOString();
  for (const ward of SEED_WARDS) {
    try {
      await directory.put({ ...ward, version: 1, updatedAt: at });
    } catch (e) {
      if (!(e instanceof ConflictError && e.code === 'STALE_VERSION')) throw e;
    }
  }
}

/** Adds the demo catalog's missing entries; never overwrites what an administrator changed. */
async function seedCatalog(doc: DynamoDBDocumentClient): Promise<void> {
  const now = new Date().toISOString();
  await Promise.all(
    demoCatalog().map(async ({ id, input }) => {
      try {
        await doc.send(
          new PutCommand({
            TableName: LOCAL_NAMES.table,
            Item: {
              ...keys.procedure(id),
              ...keys.procedureByWard(input.ward, id),
              entity: 'procedure',
              ...input,
              id,
              version: 1,
              updatedAt: now,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'ConditionalCheckFailedException') throw e;
      }
    }),
  );
}
