/**
 * Watches the local runtime from inside its process, without changing it:
 * - every Lambda handler of the manifest is a middy instance; `handler.use()` adds a hook that
 *   counts invocations (HTTP, queue batch, stream batch, schedule) and times them;
 * - the shared SDK clients of functions/adapters/clients.ts (and the runtime's own SQS client, which
 *   stands for EventBridge's and Lambda's SQS traffic) get the middleware of
 *   bench/lib/instrument.ts: every AWS request, its duration and DynamoDB's capacity;
 * - who made a call is read from the async stack trace (the first functions/<name>.ts frame).
 * The ESM module cache makes the bench's import of a handler module the very instance the runtime
 * loads, so the hooks see what the runtime runs.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FunctionSpec } from '#wiring/manifest.ts';
import type { Runtime } from '../../local/runtime.ts';
import type { AwsCall, InstrumentableClient } from './instrument.ts';

export type InvocationKind = 'http' | 'queue' | 'stream' | 'schedule' | 'other';

export interface Invocation {
  readonly fn: string;
  readonly kind: InvocationKind;
  readonly startedAt: number;
  /** Handler time (middy's before hook to its after hook), when the before hook ran. */
  readonly ms?: number;
  readonly failed?: boolean;
  /** Queue and stream batches: records in the batch. */
  readonly records?: number;
  /** Stream batches: outbox INSERT records (the ones the relay publishes). */
  readonly outboxInserts?: number;
  readonly routeKey?: string;
}

export interface TaggedCall extends AwsCall {
  /** `shared`: the handlers' clients; `runtime`: the local runtime's own SQS client. */
  readonly client: 'shared' | 'runtime';
}

export interface Recording {
  readonly calls: TaggedCall[];
  readonly invocations: Invocation[];
  /** Log bytes the handlers wrote while recording (stdout), if captured. */
  logBytes: number;
  logLines: number;
}

interface MiddyLike {
  use(m: {
    before?: (r: MiddyRequest) => void;
    after?: (r: MiddyRequest) => void;
    onError?: (r: MiddyRequest) => void;
  }): unknown;
}
interface MiddyRequest {
  event: any;
  response?: any;
}

const START = Symbol('benchStart');

function kindOf(event: any): InvocationKind {
  if (event?.requestContext?.http) return 'http';
  const src = event?.Records?.[0]?.eventSource;
  if (src === 'aws:sqs') return 'queue';
  if (src === 'aws:dynamodb') return 'stream';
  if (event?.['detail-type'] === 'Scheduled Event') return 'schedule';
  return 'other';
}

/** `functions/<name>.ts` or `local/<file>.ts` of the innermost frame of ours, from a stack trace. */
const FRAME = /\/(functions\/[a-z0-9-]+\.ts|local\/[a-z0-9-]+\.ts)/;
/** The local files that invoke a function's handler, as Lambda would (HTTP, queues, streams). */
const INVOKERS = new Set(['local/gateway.ts', 'local/queues.ts', 'local/streams.ts']);

/**
 * The innermost frame of ours, and whether function code (`functions/lib/`, `functions/adapters/`)
 * runs inside it: a handler's shared code reached without a frame of its own module (a consumer's
 * batch read handed to `functions/lib/consumer.ts` as a reference) shows its invoker first.
 */
function stackFrame(): { frame: string | undefined; functionCodeInside: boolean } {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 80;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const m = FRAME.exec(stack);
  const inside = m ? stack.slice(0, m.index) : stack;
  return { frame: m?.[1], functionCodeInside: /\/functions\/(lib|adapters)\//.test(inside) };
}

export class Probe {
  inFlight = 0;
  lastActivity = Date.now();
  /** Handler invocations under way, by function. */
  private readonly active = new Map<string, number>();
  readonly hooked: string[] = [];
  readonly skipped: { fn: string; error: string }[] = [];
  private rec: Recording | undefined;
  private readonly removers: (() => void)[] = [];
  private readonly sqsAdmin: SQSClient;
  private instrument!: typeof import('./instrument.ts');
  private clients!: typeof import('#functions/adapters/clients.ts');

  constructor(
    private readonly rt: Runtime,
    private readonly specs: readonly FunctionSpec[],
  ) {
    this.sqsAdmin = new SQSClient({ endpoint: rt.endpoints.sqs, region: process.env.AWS_REGION ?? 'ap-southeast-1' });
  }

  /** Imports every handler module the runtime would load and hooks its middy instance. */
  async attach(): Promise<void> {
    this.instrument = await import('./instrument.ts');
    this.clients = await import('#functions/adapters/clients.ts');
    for (const spec of this.specs) {
      const url = new URL(`../../functions/${spec.name}.ts`, import.meta.url).href;
      let mod: { handler?: unknown };
      try {
        mod = (await import(url)) as { handler?: unknown };
      } catch (e) {
        this.skipped.push({ fn: spec.name, error: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
        continue;
      }
      const h = mod.handler as MiddyLike | undefined;
      if (!h || typeof h.use !== 'function') {
        this.skipped.push({ fn: spec.name, error: 'handler is not a middy instance' });
        continue;
      }
      this.hook(spec.name, h);
      this.hooked.push(spec.name);
    }
  }

  private hook(fn: string, h: MiddyLike): void {
    const end = (r: MiddyRequest, failed: boolean) => {
      const started = (r as unknown as Record<symbol, { t: number; at: number } | undefined>)[START];
      if (started) {
        this.inFlight--;
        const n = (this.active.get(fn) ?? 1) - 1;
        if (n > 0) this.active.set(fn, n);
        else this.active.delete(fn);
      }
      this.lastActivity = Date.now();
      if (!this.rec) return;
      const ev = r.event;
      const kind = kindOf(ev);
      const records = Array.isArray(ev?.Records) ? (ev.Records as unknown[]).length : undefined;
      const outboxInserts =
        kind === 'stream'
          ? (ev.Records as any[]).filter(
              (x) => x.eventName === 'INSERT' && x.dynamodb?.NewImage?.entity?.S === 'outbox',
            ).length
          : undefined;
      const status = r.response?.statusCode;
      this.rec.invocations.push({
        fn,
        kind,
        startedAt: started?.at ?? Date.now(),
        ...(started ? { ms: performance.now() - started.t } : {}),
        ...(failed || (typeof status === 'number' && status >= 500) ? { failed: true } : {}),
        ...(records === undefined ? {} : { records }),
        ...(outboxInserts === undefined ? {} : { outboxInserts }),
        ...(kind === 'http' ? { routeKey: String(ev.routeKey) } : {}),
      });
    };
    h.use({
      before: (r) => {
        (r as unknown as Record<symbol, unknown>)[START] = { t: performance.now(), at: Date.now() };
        this.inFlight++;
        this.active.set(fn, (this.active.get(fn) ?? 0) + 1);
        this.lastActivity = Date.now();
      },
      after: (r) => end(r, false),
      onError: (r) => end(r, true),
    });
  }

  /**
   * Adds the SDK middleware to the shared clients and to the runtime's SQS client.
   * `capacity` asks DynamoDB for ConsumedCapacity; `origin` reads the caller from the stack.
   */
  instrumentSdk(opts: { capacity: boolean; origin: boolean; sink?: (c: TaggedCall) => void }): () => void {
    const { instrumentClient } = this.instrument;
    const c = this.clients;
    const shared = [c.dynamo(), c.s3(), c.sqs(), c.events()] as unknown as InstrumentableClient[];
    const sink = (client: 'shared' | 'runtime') => (call: AwsCall) => {
      const tagged: TaggedCall = { ...call, client };
      if (client === 'shared' || call.operation !== 'ReceiveMessage' || (call.messages ?? 0) > 0) {
        this.lastActivity = Date.now();
      }
      this.rec?.calls.push(tagged);
      opts.sink?.(tagged);
    };
    const origin = opts.origin ? () => this.callerOf() : undefined;
    const removers = [
      ...shared.map((client) =>
        instrumentClient(client, sink('shared'), { consumedCapacity: opts.capacity, ...(origin ? { origin } : {}) }),
      ),
      instrumentClient(this.rt.sqs as unknown as InstrumentableClient, sink('runtime'), origin ? { origin } : {}),
    ];
    const remove = () => {
      for (const r of removers) r();
    };
    this.removers.push(remove);
    return remove;
  }

  /**
   * Who makes the call starting now: the innermost functions/<name>.ts (or local/<file>.ts) frame
   * of the async stack trace; where the async chain is broken (a promise returned without await),
   * or where function code runs inside the local invoker with no frame of its module, the one
   * function with an invocation under way, if there is exactly one; else `unknown` (billed all the
   * same: only a local/ frame other than an invoker makes a call local-only).
   */
  callerOf(): string {
    const { frame, functionCodeInside } = stackFrame();
    // A call of function code made inside an invocation is the function's, not the invoker's.
    if (frame && !(INVOKERS.has(frame) && functionCodeInside)) return frame;
    if (this.active.size === 1) return `functions/${[...this.active.keys()][0]}.ts`;
    return functionCodeInside ? 'functions (more than one under way)' : 'unknown';
  }

  startRecording(): void {
    this.rec = { calls: [], invocations: [], logBytes: 0, logLines: 0 };
  }

  get recording(): Recording | undefined {
    return this.rec;
  }

  stopRecording(): Recording {
    const r = this.rec ?? { calls: [], invocations: [], logBytes: 0, logLines: 0 };
    this.rec = undefined;
    return r;
  }

  /** Messages visible or in flight over all consumer queues. */
  async queued(): Promise<number> {
    let n = 0;
    for (const q of this.rt.queues.values()) {
      const a = await this.sqsAdmin.send(
        new GetQueueAttributesCommand({
          QueueUrl: q.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      n +=
        Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    return n;
  }

  /**
   * Waits until nothing runs: no handler in flight, no activity for `idleMs`, every queue empty,
   * twice in a row. Returns false if that did not happen within `timeoutMs`.
   */
  async quiet(idleMs = 1000, timeoutMs = 30_000): Promise<boolean> {
    const t0 = Date.now();
    let stable = 0;
    while (Date.now() - t0 < timeoutMs) {
      const idle = Date.now() - this.lastActivity;
      if (this.inFlight === 0 && idle >= idleMs && (await this.queued()) === 0) {
        stable++;
        if (stable >= 2) return true;
        await sleep(Math.max(200, idleMs / 2));
        continue;
      }
      stable = 0;
      await sleep(Math.max(100, Math.min(idleMs - idle, 500)));
    }
    return false;
  }

  detach(): void {
    for (const r of this.removers) r();
    this.removers.length = 0;
    this.sqsAdmin.destroy();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
