/**
 * Throughput with a closed loop: `concurrency` workers each send their next request as soon as the
 * previous one is answered, for `seconds`. Submissions all take the ward's daily dossier number (one
 * counter item, a conditional write), which makes them contend on purpose: that is the hot key.
 */
import type { Api, Procedures, Tokens } from './api.ts';
import type { Probe, TaggedCall } from './probe.ts';
import { round, type Summary, summarize } from './stats.ts';

export interface ThroughputResult {
  readonly concurrency: number;
  readonly seconds: number;
  readonly completed: number;
  readonly failed: number;
  readonly perSecond: number;
  /** Per completed unit (one request, or one whole lifecycle). */
  readonly latencyMs: Summary;
  /** Transactions DynamoDB cancelled (a condition failed: another writer was first), and all of them. */
  readonly transactionsCancelled: number;
  readonly transactions: number;
  readonly firstError?: string;
}

async function closedLoop(
  concurrency: number,
  seconds: number,
  unit: (worker: number, i: number) => Promise<void>,
): Promise<{ completed: number; failed: number; ms: number[]; elapsed: number; firstError?: string }> {
  const ms: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < until) {
        const s = performance.now();
        try {
          await unit(w, i++);
          ms.push(performance.now() - s);
        } catch (e) {
          failed++;
          firstError ??= e instanceof Error ? e.message : String(e);
          if (failed > 50 && failed > ms.length) throw new Error(`throughput: too many failures: ${firstError}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { completed: ms.length, failed, ms, elapsed, ...(firstError ? { firstError } : {}) };
}

function counting(probe: Probe) {
  let transactions = 0;
  let cancelled = 0;
  const remove = probe.instrumentSdk({
    capacity: false,
    origin: false,
    sink: (c: TaggedCall) => {
      if (c.client !== 'shared' || c.operation !== 'TransactWriteItems') return;
      transactions++;
      if (c.error) cancelled++;
    },
  });
  return { remove, get: () => ({ transactions, cancelled }) };
}

const done = (
  r: Awaited<ReturnType<typeof closedLoop>>,
  concurrency: number,
  c: { transactions: number; cancelled: number },
): ThroughputResult => ({
  concurrency,
  seconds: round(r.elapsed, 1),
  completed: r.completed,
  failed: r.failed,
  perSecond: round(r.completed / r.elapsed, 1),
  latencyMs: summarize(r.ms),
  transactionsCancelled: c.cancelled,
  transactions: c.transactions,
  ...(r.firstError ? { firstError: r.firstError } : {}),
});

export async function submissions(
  api: Api,
  t: Tokens,
  procs: Procedures,
  probe: Probe,
  concurrency: number,
  seconds: number,
): Promise<ThroughputResult> {
  const citizens = await Promise.all(Array.from({ length: concurrency }, (_, i) => t.citizen(`bench-tp-${i}`)));
  let serial = 500_000;
  const c = counting(probe);
  try {
    const r = await closedLoop(concurrency, seconds, async (w) => {
      const res = await api.submit(citizens[w] as string, procs.onlineFree.id, serial++);
      if (res.status !== 201) throw new Error(`submit: HTTP ${res.status} ${res.text().slice(0, 200)}`);
    });
    return done(r, concurrency, c.get());
  } finally {
    c.remove();
  }
}

/** Whole lifecycles: submitted online, accepted (2), processed (4), done (9), returned (10). */
export async function lifecycles(
  api: Api,
  t: Tokens,
  procs: Procedures,
  probe: Probe,
  concurrency: number,
  seconds: number,
): Promise<ThroughputResult> {
  const citizens = await Promise.all(Array.from({ length: concurrency }, (_, i) => t.citizen(`bench-lc-${i}`)));
  let serial = 700_000;
  const c = counting(probe);
  const step = async (what: string, p: Promise<{ status: number; json(): any; text(): string }>, ok: number) => {
    const r = await p;
    if (r.status !== ok) throw new Error(`${what}: HTTP ${r.status} ${r.text().slice(0, 200)}`);
    return r.json();
  };
  try {
    const r = await closedLoop(concurrency, seconds, async (w) => {
      let d = await step('submit', api.submit(citizens[w] as string, procs.onlineFree.id, serial++), 201);
      d = await step('1->2', api.transition(t.receiver, d, 2), 200);
      d = await step('2->4', api.transition(t.receiver, d, 4), 200);
      d = await step('4->9', api.transition(t.leader, d, 9), 200);
      await step('9->10', api.transition(t.receiver, d, 10), 200);
    });
    return done(r, concurrency, c.get());
  } finally {
    c.remove();
  }
}
