/**
 * Latency of the main routes: sequential requests (one at a time), after a warm-up, each route
 * sampled up to `samples` times or for `maxSeconds`, whichever comes first.
 */
import { type Api, expectStatus, type Procedures, type Tokens, WARD } from './api.ts';
import type { Reply } from './http-client.ts';
import type { Probe } from './probe.ts';
import { type Summary, summarize } from './stats.ts';

interface LatencyOptions {
  /**
   * Pauses and resumes the outbox relay (and so the consumers it feeds) around the write routes:
   * in Lambda the relay and the consumers run in containers of their own, here in the same event
   * loop as the measured handler.
   */
  readonly relay?: { pause(): Promise<void>; resume(): Promise<void> };
  readonly samples: number;
  readonly maxSeconds: number;
  readonly warmup: number;
  readonly log: (m: string) => void;
}

interface RouteLatency extends Summary {
  readonly errors: number;
}

async function sample(
  n: number,
  maxSeconds: number,
  run: (i: number) => Promise<Reply>,
  ok: (r: Reply) => boolean,
): Promise<RouteLatency> {
  const ms: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < n && performance.now() - t0 < maxSeconds * 1000; i++) {
    const r = await run(i);
    if (ok(r)) ms.push(r.ms);
    else {
      errors++;
      if (errors > 5 && errors > ms.length)
        throw new Error(`too many failures: HTTP ${r.status} ${r.text().slice(0, 200)}`);
    }
  }
  return { ...summarize(ms), errors };
}

interface Created {
  readonly id: string;
  readonly code: string;
  readonly phone: string;
  readonly version: number;
}

export async function measureRoutes(
  api: Api,
  t: Tokens,
  procs: Procedures,
  probe: Probe,
  o: LatencyOptions,
): Promise<{ routes: Record<string, RouteLatency>; created: Created[] }> {
  const http = api.http;
  const routes: Record<string, RouteLatency> = {};
  const is =
    (...codes: number[]) =>
    (r: Reply) =>
      codes.includes(r.status);
  const citizens = await Promise.all(Array.from({ length: 16 }, (_, i) => t.citizen(`bench-lat-${i}`)));
  const pid = procs.onlineFree.id as string;
  let serial = 100_000;

  const route = async (name: string, run: (i: number) => Promise<Reply>, ok: (r: Reply) => boolean, n = o.samples) => {
    for (let i = 0; i < o.warmup; i++) await run(-1 - i);
    routes[name] = await sample(n, o.maxSeconds, run, ok);
    const r = routes[name];
    o.log(`  ${name.padEnd(48)} n=${String(r.n).padStart(3)} p50 ${r.p50} p95 ${r.p95} p99 ${r.p99} ms`);
  };

  // Reads that do not depend on the dossiers made here.
  await route('GET /v1/procedures?ward=bimson', () => http.call('GET', `/v1/procedures?ward=${WARD}`), is(200));
  await route(
    'GET /v1/procedures/{procedureId}',
    (i) => http.call('GET', `/v1/procedures/${procs.all[Math.abs(i) % procs.all.length].id}`),
    is(200),
  );
  const from = encodeURIComponent('2026-02-13T16:00:00+07:00');
  await route(
    'GET /v1/calendar/{ward}/add',
    (i) => http.call('GET', `/v1/calendar/${WARD}/add?from=${from}&hours=${8 + (Math.abs(i) % 40)}`),
    is(200),
  );

  // Writes: each submission is a new dossier at status 1; each transition takes one of them to 2.
  await o.relay?.pause();
  const created: Created[] = [];
  const warm: Created[] = [];
  await route(
    'POST /v1/dossiers',
    async (i) => {
      const body = api.submitBody(pid, serial++);
      const r = await http.call('POST', '/v1/dossiers', { token: citizens[Math.abs(i) % citizens.length], json: body });
      if (r.status === 201) {
        const d = r.json();
        (i < 0 ? warm : created).push({ id: d.id, code: d.code, phone: body.applicant.phone, version: d.version });
      }
      return r;
    },
    is(201),
  );
  const pool = [...warm, ...created];
  let next = 0;
  const moved: Created[] = [];
  await route(
    'POST /v1/dossiers/{dossierId}/transitions (1->2)',
    async () => {
      const d = pool[next++];
      if (!d) throw new Error('no dossier left at status 1');
      const r = await api.transition(t.receiver, d, 2);
      if (r.status === 200) moved.push({ ...d, version: r.json().version });
      return r;
    },
    is(200),
    Math.min(o.samples, created.length),
  );
  // Let the relay and the consumers finish what the writes caused before timing the reads.
  await o.relay?.resume();
  await probe.quiet(800, 25_000);

  const any = (i: number) => moved[Math.abs(i) % moved.length] as Created;
  await route(
    'GET /v1/dossiers/{dossierId}',
    (i) => http.call('GET', `/v1/dossiers/${any(i).id}`, { token: t.receiver }),
    is(200),
  );
  await route('GET /v1/dossiers (ward list)', () => http.call('GET', '/v1/dossiers', { token: t.receiver }), is(200));
  await route(
    'GET /v1/dossiers/{dossierId}/history',
    (i) => http.call('GET', `/v1/dossiers/${any(i).id}/history`, { token: t.receiver }),
    is(200),
  );
  await route(
    'GET /v1/dossiers/{dossierId}/forms/01.pdf',
    (i) => http.call('GET', `/v1/dossiers/${any(i).id}/forms/01.pdf`, { token: t.receiver }),
    is(200),
  );
  await route(
    'GET /v1/lookup/{dossierCode}?phone=',
    (i) => http.call('GET', `/v1/lookup/${encodeURIComponent(any(i).code)}?phone=${any(i).phone.slice(-4)}`),
    is(200),
  );
  expectStatus(await http.call('GET', `/v1/dossiers/${any(0).id}`, { token: t.receiver }), 'check', 200);
  return { routes, created: moved };
}
