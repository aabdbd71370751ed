/**
 * Measurement of the AWS SDK v3 clients: one middleware that reports every request a client makes
 * (service, operation, input, duration, error and, for DynamoDB, the capacity it consumed) to a
 * sink. Nothing in the handlers imports this; the benchmark (bench/) adds it to the shared clients
 * of ./clients.ts from the same process as the local runtime. Removing it restores the client.
 */

/** DynamoDB operations that accept ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

/** DynamoDB operations that are billed as writes; the others of CAPACITY_OPERATIONS as reads. */
export const DYNAMO_WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

export type AwsService = 'dynamodb' | 's3' | 'sqs' | 'events' | 'other';

/** One request as the client made it (retries inside the SDK are one call). */
export interface AwsCall {
  readonly service: AwsService;
  /** The API operation, e.g. `GetItem`, `TransactWriteItems`, `PutObject`, `PutEvents`. */
  readonly operation: string;
  /** The command input before serialization (document form for the DynamoDB document client). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly startedAt: number;
  readonly ms: number;
  /** The error name, when the call failed. */
  readonly error?: string;
  /** DynamoDB capacity units the server reported (sum over tables, indexes included), when asked for. */
  readonly capacityUnits?: number;
  /** The part of `capacityUnits` spent on global secondary indexes. */
  readonly indexCapacityUnits?: number;
  /** SQS ReceiveMessage: how many messages came back. */
  readonly messages?: number;
  /** A presigned URL was made (getSignedUrl runs the stack without sending anything). */
  readonly presigned?: boolean;
  /** What the sink's `origin` returned when the call started (e.g. who made it). */
  readonly origin?: string;
}

interface InstrumentOptions {
  /** Asks DynamoDB for ReturnConsumedCapacity: 'INDEXES' (totals and the indexes' share) where it applies. */
  readonly consumedCapacity?: boolean;
  /** Called synchronously as a call starts; its answer is kept as `origin`. */
  readonly origin?: () => string | undefined;
}

type Next = (args: { input: Record<string, unknown> }) => Promise<{ output?: Record<string, unknown> }>;
type Middleware = (next: Next, context: { commandName?: string; clientName?: string }) => Next;

/** The part of a smithy client this needs (every AWS SDK v3 client, and the DynamoDB document client). */
export interface InstrumentableClient {
  readonly middlewareStack: {
    add(middleware: any, options: { step: 'initialize'; name: string; override?: boolean }): void;
    remove(name: string): boolean;
  };
}

const serviceOf = (clientName: string | undefined): AwsService => {
  switch (clientName) {
    case 'DynamoDBClient':
      return 'dynamodb';
    case 'S3Client':
      return 's3';
    case 'SQSClient':
      return 'sqs';
    case 'EventBridgeClient':
      return 'events';
    default:
      return 'other';
  }
};

interface Capacity {
  readonly CapacityUnits?: number;
  readonly GlobalSecondaryIndexes?: Record<string, { readonly CapacityUnits?: number }>;
}

function capacityOf(output: Record<string, unknown> | undefined): { total: number; indexes: number } | undefined {
  const cc = output?.ConsumedCapacity as Capacity | Capacity[] | undefined;
  if (cc === undefined) return undefined;
  const list = Array.isArray(cc) ? cc : [cc];
  let total = 0;
  let indexes = 0;
  for (const c of list) {
    total += c.CapacityUnits ?? 0;
    for (const g of Object.values(c.GlobalSecondaryIndexes ?? {})) indexes += g.CapacityUnits ?? 0;
  }
  return { total, indexes };
}

let seq = 0;

/**
 * Adds the measuring middleware to `client` (first step, so the input is the caller's) and
 * returns a function that removes it. Each call is reported once it has finished.
 */
export function instrumentClient(
  client: InstrumentableClient,
  sink: (call: AwsCall) => void,
  opts: InstrumentOptions = {},
): () => void {
  const name = `motcuaInstrument${++seq}`;
  const middleware: Middleware = (next, context) => async (args) => {
    const service = serviceOf(context.clientName);
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const origin = opts.origin?.();
    const ask = opts.consumedCapacity && service === 'dynamodb' && CAPACITY_OPERATIONS.has(operation);
    const input = ask ? { ...args.input, ReturnConsumedCapacity: 'INDEXES' } : args.input;
    const startedAt = Date.now();
    const t0 = performance.now();
    const base = { service, operation, input: args.input, startedAt, ...(origin ? { origin } : {}) };
    try {
      const r = await next({ ...args, input });
      const capacity = ask ? capacityOf(r.output) : undefined;
      const messages =
        service === 'sqs' && operation === 'ReceiveMessage'
          ? ((r.output?.Messages as unknown[] | undefined)?.length ?? 0)
          : undefined;
      const presigned = r.output !== undefined && 'presigned' in r.output;
      sink({
        ...base,
        ms: performance.now() - t0,
        ...(capacity ? { capacityUnits: capacity.total, indexCapacityUnits: capacity.indexes } : {}),
        ...(messages === undefined ? {} : { messages }),
        ...(presigned ? { presigned } : {}),
      });
      return r;
    } catch (e) {
      sink({ ...base, ms: performance.now() - t0, error: e instanceof Error ? e.name : String(e) });
      throw e;
    }
  };
  client.middlewareStack.add(middleware, { step: 'initialize', name, override: true });
  return () => {
    client.middlewareStack.remove(name);
  };
}
