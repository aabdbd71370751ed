/**
 * The overhead of our code over the bare storage calls it makes. For a route, the DynamoDB
 * commands its handler sends are captured once (SDK middleware: operation and input), then the
 * route is timed over HTTP and, interleaved with it, the same commands are replayed in the same
 * order with a fresh DynamoDBDocumentClient against the same DynamoDB Local. The ratio is the
 * median route time over the median replay time. The numerator holds everything that is not
 * storage: the HTTP hop (client and server), JSON, the JWT verification of the local authorizer,
 * middy, zod validation, the domain logic and the handler's own SDK marshalling.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Api, Procedures, Tokens } from './api.ts';
import type { Reply } from './http-client.ts';
import type { Probe, TaggedCall } from './probe.ts';
import { median, round } from './stats.ts';

const COMMANDS: Record<string, new (input: any) => any> = {
  GetItem: GetCommand,
  PutItem: PutCommand,
  UpdateItem: UpdateCommand,
  DeleteItem: DeleteCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchGetItem: BatchGetCommand,
  BatchWriteItem: BatchWriteCommand,
  TransactGetItems: TransactGetCommand,
  TransactWriteItems: TransactWriteCommand,
};

export interface RouteOverhead {
  readonly samples: number;
  /** The DynamoDB commands the handler sends for one request, in order. */
  readonly storageCalls: readonly string[];
  readonly routeMsP50: number;
  readonly bareMsP50: number;
  /** Median route time over median bare time. */
  readonly ratio: number;
  /** Median of the per-sample ratios (each route sample over the replay timed next to it). */
  readonly pairedRatioP50: number;
  /**
   * Median handler time (middy, inside the function) of the route samples: route time minus this is
   * the HTTP hop and the local API gateway (routing, JWT verification); this minus the bare time is
   * the handler's own work.
   */
  readonly handlerMsP50: number;
  /** Median handler time over median bare time: our function's code alone, without the HTTP hop. */
  readonly handlerRatio: number;
  readonly routeMs: readonly number[];
  readonly bareMs: readonly number[];
}

interface Captured {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Deep copy of `v` with the dossier's id and code replaced, and every other UUID made fresh. */
function substitute(v: unknown, from: { id: string; code: string }, to: { id: string; code: string }): unknown {
  const fresh = new Map<string, string>();
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') {
      return x.replaceAll(from.code, to.code).replace(UUID, (u) => {
        if (u === from.id) return to.id;
        let f = fresh.get(u);
        if (!f) {
          f = randomUUID();
          fresh.set(u, f);
        }
        return f;
      });
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v);
}

/** The DynamoDB commands the dossiers handler sends while `run` is answered. */
async function capture(probe: Probe, run: () => Promise<Reply>): Promise<Captured[]> {
  const calls: TaggedCall[] = [];
  const remove = probe.instrumentSdk({ capacity: false, origin: true, sink: (c) => calls.push(c) });
  try {
    const r = await run();
    if (r.status >= 300) throw new Error(`capture: HTTP ${r.status} ${r.text().slice(0, 200)}`);
  } finally {
    remove();
  }
  return calls
    .filter((c) => c.client === 'shared' && c.service === 'dynamodb' && c.origin === 'functions/dossiers.ts')
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((c) => ({ operation: c.operation, input: structuredClone(c.input) as Record<string, unknown> }));
}

/** Handler times of the dossiers function's HTTP invocations recorded since startRecording(). */
function handlerTimes(probe: Probe): number[] {
  return probe
    .stopRecording()
    .invocations.filter((x) => x.fn === 'dossiers' && x.kind === 'http' && x.ms !== undefined)
    .map((x) => x.ms as number);
}

async function replay(doc: DynamoDBDocumentClient, calls: readonly Captured[]): Promise<number> {
  const t0 = performance.now();
  for (const c of calls) {
    const Cmd = COMMANDS[c.operation];
    if (!Cmd) throw new Error(`no document command for ${c.operation}`);
    await doc.send(new Cmd(c.input));
  }
  return performance.now() - t0;
}

function result(calls: readonly Captured[], routeMs: number[], bareMs: number[], handlerMs: number[]): RouteOverhead {
  const paired = routeMs.map((r, i) => r / (bareMs[i] as number));
  return {
    handlerMsP50: round(median(handlerMs)),
    handlerRatio: round(median(handlerMs) / median(bareMs)),
    samples: routeMs.length,
    storageCalls: calls.map((c) => c.operation),
    routeMsP50: round(median(routeMs)),
    bareMsP50: round(median(bareMs)),
    ratio: round(median(routeMs) / median(bareMs)),
    pairedRatioP50: round(median(paired)),
    routeMs: routeMs.map((v) => round(v)),
    bareMs: bareMs.map((v) => round(v)),
  };
}

export async function measureOverhead(
  api: Api,
  t: Tokens,
  procs: Procedures,
  probe: Probe,
  endpoint: string,
  samples: number,
  log: (m: string) => void,
  relay?: { pause(): Promise<void>; resume(): Promise<void> },
): Promise<Record<string, RouteOverhead>> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? 'ap-southeast-1', maxAttempts: 4 }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
  const out: Record<string, RouteOverhead> = {};
  try {
    // Dossiers at status 1, in pairs: one for the route, its twin for the replay.
    const citizen = await t.citizen('bench-overhead');
    const pairs = samples + 1;
    const made: { id: string; code: string; version: number }[] = [];
    let serial = 900_000;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (made.length < pairs * 2) {
          const r = await api.submit(citizen, procs.onlineFree.id, serial++);
          if (r.status !== 201) throw new Error(`overhead: submit HTTP ${r.status} ${r.text().slice(0, 200)}`);
          const d = r.json();
          made.push({ id: d.id, code: d.code, version: d.version });
        }
      }),
    );
    await probe.quiet(800, 25_000);
    // The relay and the consumers it feeds would share the event loop with the measured handler
    // (in Lambda they run elsewhere): paused while timing, they catch up afterwards.
    await relay?.pause();

    // GET /v1/dossiers/{id}: reads; the same commands replay as they are.
    const target = made[0] as { id: string };
    const get = () => api.http.call('GET', `/v1/dossiers/${target.id}`, { token: t.receiver });
    const getCalls = await capture(probe, get);
    for (let i = 0; i < 10; i++) {
      await get();
      await replay(doc, getCalls);
    }
    const routeMs: number[] = [];
    const bareMs: number[] = [];
    probe.startRecording();
    for (let i = 0; i < samples; i++) {
      if (i % 2) {
        bareMs.push(await replay(doc, getCalls));
        routeMs.push((await get()).ms);
      } else {
        routeMs.push((await get()).ms);
        bareMs.push(await replay(doc, getCalls));
      }
    }
    out['GET /v1/dossiers/{dossierId}'] = result(getCalls, routeMs, bareMs, handlerTimes(probe));

    // POST transitions 1->2: the captured transaction is replayed on the twin dossier (its id and
    // code substituted, fresh event ids), so that its conditions hold exactly as in the handler.
    const [first, ...rest] = made;
    const firstDossier = first as { id: string; code: string; version: number };
    const moveCalls = await capture(probe, () => api.transition(t.receiver, firstDossier, 2));
    const replayOn = (twin: { id: string; code: string }) =>
      moveCalls.map((c) => ({ operation: c.operation, input: substitute(c.input, firstDossier, twin) as any }));
    const rMs: number[] = [];
    const bMs: number[] = [];
    probe.startRecording();
    for (let i = 0; i + 1 < rest.length && rMs.length < samples; i += 2) {
      const a = rest[i] as { id: string; code: string; version: number };
      const b = rest[i + 1] as { id: string; code: string; version: number };
      const plan = replayOn(b);
      const route = async () => {
        const r = await api.transition(t.receiver, a, 2);
        if (r.status !== 200) throw new Error(`overhead: transition HTTP ${r.status} ${r.text().slice(0, 200)}`);
        return r.ms;
      };
      if (i % 4) {
        bMs.push(await replay(doc, plan));
        rMs.push(await route());
      } else {
        rMs.push(await route());
        bMs.push(await replay(doc, plan));
      }
    }
    // The first few pairs warm the replay client's connection; keep them out like the GET warm-up.
    const skip = Math.min(5, Math.floor(rMs.length / 4));
    out['POST /v1/dossiers/{dossierId}/transitions'] = result(
      moveCalls,
      rMs.slice(skip),
      bMs.slice(skip),
      handlerTimes(probe).slice(skip),
    );
    for (const [k, v] of Object.entries(out)) {
      log(
        `  ${k.padEnd(44)} route p50 ${v.routeMsP50} ms (handler ${v.handlerMsP50}), bare [${v.storageCalls.join(', ')}] ` +
          `p50 ${v.bareMsP50} ms, ratio ${v.ratio}`,
      );
    }
    await relay?.resume();
    await probe.quiet(800, 25_000);
    return out;
  } finally {
    await relay?.resume();
    doc.destroy();
  }
}
