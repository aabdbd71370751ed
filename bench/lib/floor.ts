/**
 * The replay's floor on this machine: what the least work a replayed quarter must do costs here,
 * measured, so that its time can be judged against what is possible and not only against a goal.
 *
 * Every state change of a dossier is at least one read of the dossier and one conditional write,
 * whatever the design: this code writes a conditional transaction (the dossier and its history
 * entry, which carries the change's events); the least any design could write is one conditional
 * Put of the dossier with the entry and events inside it, the stream carrying them on. Every step
 * of the replay is at least one HTTP request. This measures them at the replay's concurrency, on
 * the running local stack:
 * - `changesPerSecond`: GetItem of a dossier-sized item, then one conditional PutItem of it with
 *   the history entry and events inside, on DynamoDB Local, through the SDK (the floor);
 * - `transactionChangesPerSecond`: the same read, then this code's TransactWriteItems (conditional
 *   Put of the dossier + Put of its history entry), for comparison;
 * - `requestsPerSecond`: `fetch` (as the replay tool calls) of a route that makes no AWS call
 *   (`GET /v1/calendar/{ward}/add`) through the local gateway and its Lambda handler.
 * The floor of a replay that made R requests and W state changes is W / changesPerSecond +
 * R / requestsPerSecond seconds: both share the same two cores, with no consumer, no S3, no event.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

interface Floor {
  readonly concurrency: number;
  /** A read and one conditional PutItem: the least a change can be, in any design. */
  readonly changesPerSecond: number;
  /** A read and this code's conditional transaction (dossier + history entry). */
  readonly transactionChangesPerSecond: number;
  readonly requestsPerSecond: number;
  /** Bytes of the dossier-shaped item the changes update. */
  readonly itemBytes: number;
}

const TABLE = 'motcua-bench-floor';

async function closedLoop(n: number, concurrency: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** A dossier's item as the table holds one mid-life (applicant, components, deadlines, pauses). */
function dossierItem(i: number, version: number): Record<string, unknown> {
  return {
    PK: `DOSSIER#floor-${i}`,
    SK: 'DOSSIER',
    entity: 'dossier',
    id: `floor-${i}`,
    code: `H56.1.2-250701-${String(i).padStart(4, '0')}`,
    ward: 'bimson',
    procedureId: 'bimson-dang-ky-khai-sinh',
    procedureName: 'Đăng ký khai sinh',
    channel: 'online',
    status: 4,
    version,
    applicant: { fullName: 'Công dân thử nghiệm', idNumber: '038100000001', phone: '0910000001' },
    components: Array.from({ length: 3 }, (_, k) => ({
      id: `c${k}`,
      name: `Giấy tờ số ${k + 1} của thủ tục`,
      required: true,
      digitized: k === 0,
    })),
    receivedAt: '2025-07-01T01:00:00.000Z',
    dueAt: '2025-07-04T10:00:00.000Z',
    pauses: [],
    GSI1PK: 'WARD#bimson',
    GSI1SK: `2025-07-01T01:00:00.000Z#floor-${i}`,
  };
}

export async function measureFloor(
  dynamoEndpoint: string,
  baseUrl: string,
  opts: { concurrency: number; changes: number; requests: number },
): Promise<Floor> {
  const raw = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(raw);
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
  try {
    const dossiers = Math.min(opts.changes, 500);
    for (let i = 0; i < dossiers; i++) await db.send(new PutCommand({ TableName: TABLE, Item: dossierItem(i, 0) }));
    const historyEntry = (i: number, version: number) => ({
      PK: `DOSSIER#floor-${i}`,
      SK: `HIST#${String(version).padStart(6, '0')}`,
      entity: 'history',
      version,
      to: 5,
      by: 'bench',
      role: 'specialist',
      at: new Date().toISOString(),
      outbox: true,
      events: [{ id: crypto.randomUUID(), type: 'DossierStatusChanged', dossierId: `floor-${i}` }],
    });
    const read = async (i: number) => {
      const got = await db.send(new GetCommand({ TableName: TABLE, Key: { PK: `DOSSIER#floor-${i}`, SK: 'DOSSIER' } }));
      return Number(got.Item?.version ?? 0);
    };
    const condition = (version: number) => ({
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': version },
    });
    /** The least a change can write: the dossier, its history entry and events inside it. */
    const singleWrite = async (n: number) => {
      const i = n % dossiers;
      const version = await read(i);
      const { PK: _pk, SK: _sk, ...entry } = historyEntry(i, version + 1);
      await db.send(
        new PutCommand({
          TableName: TABLE,
          Item: { ...dossierItem(i, version + 1), status: 5, lastChange: entry },
          ...condition(version),
        }),
      );
    };
    /** What this code writes: the dossier and its history entry in one conditional transaction. */
    const transaction = async (n: number) => {
      const i = n % dossiers;
      const version = await read(i);
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { ...dossierItem(i, version + 1), status: 5 }, ...condition(version) } },
            { Put: { TableName: TABLE, Item: historyEntry(i, version + 1) } },
          ],
        }),
      );
    };
    // Warm both paths (JIT, connections), then measure.
    await closedLoop(200, opts.concurrency, (n) => singleWrite(n * 7 + 1));
    await closedLoop(200, opts.concurrency, (n) => transaction(n * 7 + 1));
    const changesPerSecond = await closedLoop(opts.changes, opts.concurrency, singleWrite);
    const transactionChangesPerSecond = await closedLoop(opts.changes, opts.concurrency, transaction);
    const path = '/v1/calendar/bimson/add?from=2025-07-01T08:00:00%2B07:00&hours=16';
    const request = async () => {
      const r = await fetch(`${baseUrl}${path}`);
      await r.text();
      if (!r.ok) throw new Error(`floor request: ${r.status}`);
    };
    await closedLoop(200, opts.concurrency, request);
    const requestsPerSecond = await closedLoop(opts.requests, opts.concurrency, request);
    return {
      concurrency: opts.concurrency,
      changesPerSecond: Math.round(changesPerSecond),
      transactionChangesPerSecond: Math.round(transactionChangesPerSecond),
      requestsPerSecond: Math.round(requestsPerSecond),
      itemBytes: Buffer.byteLength(JSON.stringify(dossierItem(0, 1))),
    };
  } finally {
    await raw.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => undefined);
    raw.destroy();
  }
}

/** The least time a replay that made `requests` requests and `changes` state changes can take here. */
export const floorSeconds = (f: Floor, work: { requests: number; changes: number }): number =>
  Math.round((work.changes / f.changesPerSecond + work.requests / f.requestsPerSecond) * 10) / 10;
