/**
 * Replays a quarter of a ward's center through the real HTTP API and event flow:
 *   npm run replay -- --scenario scenarios/bim-son-2025-q3.json [--base http://127.0.0.1:3000]
 * It drives the runtime's clock (POST /local/clock) through the period's working days, submits
 * the scenario's dossiers online or at the counter, accepts and processes them, takes fees (online
 * through the sandbox gateway, or cash), uploads scans, finishes each before or after its real
 * working-hour deadline, and returns the results. The figures are not written anywhere: they come
 * out of the dossiers' changes, through the statistics (on the table stream), and the report route prints them. The
 * report is the last line of output, as JSON.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addWorkingHours, defaultCalendar, isWorkingDay } from '#shared/calendar.ts';

interface Scenario {
  ward: string;
  from: string;
  to: string;
  received: number;
  onTime: number;
  overdue: number;
  onlineRate: number;
  onlinePaymentRate: number;
  digitizationRate: number;
  seed: number;
}

type Json = Record<string, any>;

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    base: { type: 'string' },
    concurrency: { type: 'string', default: '24' },
    quiet: { type: 'boolean', default: false },
  },
});
if (!values.scenario) {
  console.error('usage: npm run replay -- --scenario FILE [--base URL] [--concurrency N]');
  process.exit(2);
}
const sc = JSON.parse(readFileSync(values.scenario, 'utf8')) as Scenario;
for (const k of ['received', 'onTime', 'overdue'] as const) {
  if (!Number.isInteger(sc[k]) || sc[k] < 0) throw new Error(`scenario.${k} must be a whole number`);
}
for (const k of ['onlineRate', 'onlinePaymentRate', 'digitizationRate'] as const) {
  if (!(sc[k] >= 0 && sc[k] <= 1)) throw new Error(`scenario.${k} must be a fraction between 0 and 1`);
}
if (sc.onTime + sc.overdue !== sc.received) {
  console.error(
    `note: onTime + overdue (${sc.onTime + sc.overdue}) != received (${sc.received}); the late count follows 'overdue'`,
  );
}
const log = (m: string) => {
  if (!values.quiet) console.error(m);
};

/** Deterministic randomness from the scenario's seed (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(sc.seed);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
/** Marks exactly `count` of `n` indices, chosen at random. */
function chosen(n: number, count: number): boolean[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  const out = Array<boolean>(n).fill(false);
  for (const i of idx.slice(0, Math.max(0, Math.min(n, count)))) out[i] = true;
  return out;
}

let base = values.base ?? process.env.MOTCUA_BASE_URL;
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
let stopRuntime: (() => Promise<void>) | undefined;
if (!base) {
  const { startRuntime } = await import('../local/runtime.ts');
  const { freePort } = await import('../local/servers.ts');
  const rt = await startRuntime({ port: await freePort(), dataDir: '.motcua', memory: true, schedules: false });
  base = rt.baseUrl;
  stopRuntime = () => rt.stop();
  log(`started a local runtime at ${base}`);
}

/**
 * The work the replay asked for: HTTP requests (the presigned uploads included) and state changes
 * (successful writes through the API, uploads and sandbox payments: each commits at least one
 * conditional write). The benchmark sets them against this machine's floor (bench/lib/floor.ts).
 */
const work = { requests: 0, changes: 0 };

async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  form?: Record<string, string>,
): Promise<Json> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(`${base}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await r.text();
    work.requests++;
    if (r.status >= 200 && r.status < 300) {
      if (method !== 'GET' && (path.startsWith('/v1/') || path.startsWith('/local/sandbox/'))) work.changes++;
      try {
        return text ? (JSON.parse(text) as Json) : {};
      } catch {
        return { text };
      }
    }
    if (r.status >= 500 && attempt < 3) continue;
    throw Object.assign(new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`), {
      status: r.status,
      body: text,
    });
  }
}

const token = async (role: string, sub: string, ward?: string) =>
  (await call('POST', '/local/token', { role, sub, ...(ward ? { ward } : {}) })).access_token as string;

const started = Date.now();
const receiver = await token('receiver', 'replay-receiver', sc.ward);
const specialist = await token('specialist', 'replay-specialist', sc.ward);
const leader = await token('leader', 'replay-leader', sc.ward);
const catalog = ((await call('GET', `/v1/procedures?ward=${sc.ward}&limit=200`)).items as Json[]).filter(
  (p) => p.active !== false,
);
const onlineProcs = catalog.filter((p) => (p.channels as string[]).some((c) => c !== 'counter'));
if (!catalog.length || !onlineProcs.length) throw new Error(`ward ${sc.ward} has no usable catalog`);

// The plan: who comes when, by which channel, for what; which are finished late, paid online, scanned.
const cal = defaultCalendar();
const days: Date[] = [];
for (let t = Date.parse(`${sc.from}T00:00:00+07:00`); t <= Date.parse(`${sc.to}T00:00:00+07:00`); t += 86400_000) {
  const d = new Date(t + 8 * 3600_000); // 08:00 local
  if (isWorkingDay(cal, d)) days.push(new Date(t));
}
if (!days.length) throw new Error('the period has no working day');
const n = sc.received;
const online = chosen(n, Math.round(sc.onlineRate * n));
const late = chosen(n, sc.overdue);
const scanned = chosen(n, Math.round(sc.digitizationRate * n));
const slots = [7.25, 8, 8.5, 9, 9.5, 10, 10.5, 11, 13.75, 14, 14.5, 15, 15.5, 16, 16.5];
interface Plan {
  i: number;
  at: number;
  online: boolean;
  late: boolean;
  scanned: boolean;
  procedure: Json;
  payOnline?: boolean;
  citizen: string;
}
// The report judges each dossier at the period's end (DESIGN.md §5b): every dossier is planned to
// end within the period, a late one with its deadline passed and its end before the period ends.
const periodEnd = Date.parse(`${sc.to}T00:00:00+07:00`) + 86400_000;
const fits = (day: Date, hours: number) =>
  addWorkingHours(cal, new Date(day.getTime() + 17 * 3600_000), hours).getTime() < periodEnd;
const roomFor = new Map<number, Date[]>();
const plans: Plan[] = Array.from({ length: n }, (_, i) => {
  const isOnline = online[i] as boolean;
  const isLate = late[i] as boolean;
  const procedure = isOnline ? pick(onlineProcs) : pick(catalog);
  const duration = (procedure.durationDays as number) * 8;
  const need = duration + (isLate ? 56 : 24);
  let room = roomFor.get(need);
  if (!room) {
    room = days.filter((d) => fits(d, need));
    roomFor.set(need, room);
  }
  const day = pick(room.length ? room : days);
  const at = day.getTime() + pick(slots) * 3600_000 + Math.floor(rand() * 20) * 60_000;
  return {
    i,
    at,
    online: isOnline,
    late: isLate,
    scanned: scanned[i] as boolean,
    procedure,
    citizen: `citizen-${sc.ward}-${i % 997}`,
  };
});
const feePlans = plans.filter((p) => (p.procedure.fee as number) > 0);
const payOnline = chosen(feePlans.length, Math.round(sc.onlinePaymentRate * feePlans.length));
feePlans.forEach((p, k) => {
  p.payOnline = payOnline[k] as boolean;
});
const citizenTokens = new Map<string, string>();
async function citizenToken(sub: string) {
  let t = citizenTokens.get(sub);
  if (!t) {
    t = await token('citizen', sub);
    citizenTokens.set(sub, t);
  }
  return t;
}

// A discrete-event simulation over the runtime's clock: each step runs at its simulated moment.
type Step = (p: Plan, d: Json) => Promise<{ next?: Step; at?: number; d?: Json }>;
interface Pending {
  at: number;
  plan: Plan;
  step: Step;
  d: Json;
}
const queue: Pending[] = [];
const schedule = (at: number, plan: Plan, step: Step, d: Json) => queue.push({ at, plan, step, d });
const HOUR = 3600_000;
const WINDOW = 8 * HOUR;
let simNow = 0;
const workingLater = (from: number, hours: number) => addWorkingHours(cal, new Date(from), hours).getTime();
/** Moves a dossier; when something else changed it meanwhile (the scan checker records a scan), reloads and retries, as a clerk would. */
async function transition(tok: string, d: Json, to: number, extra: Json = {}): Promise<Json> {
  let version = d.version as number;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call('POST', `/v1/dossiers/${d.id}/transitions`, { to, expectedVersion: version, ...extra }, tok);
    } catch (e) {
      const stale =
        (e as { status?: number; body?: string }).status === 409 &&
        /STALE_VERSION/.test(String((e as { body?: string }).body));
      if (!stale || attempt >= 5) throw e;
      version = (await call('GET', `/v1/dossiers/${d.id}`, undefined, receiver)).version as number;
    }
  }
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const submit: Step = async (p) => {
  const tok = p.online ? await citizenToken(p.citizen) : receiver;
  const d = await call(
    'POST',
    '/v1/dossiers',
    {
      ward: sc.ward,
      procedureId: p.procedure.id,
      channel: p.online ? 'online' : 'counter',
      applicant: {
        fullName: `Công dân thử nghiệm ${p.i}`,
        idNumber: `038${String(100_000_000 + p.i).slice(-9)}`,
        phone: `09${String(10_000_000 + p.i).slice(-8)}`,
      },
    },
    tok,
  );
  // The scan comes with the submission: uploaded by the citizen online, scanned at the counter.
  if (p.scanned) await scan(p, d);
  return p.online
    ? { next: accept, at: workingLater(simNow, 1 + rand() * 3), d }
    : { next: processStep, at: simNow, d };
};
const accept: Step = async (_p, d) => ({ next: processStep, at: simNow, d: await transition(receiver, d, 2) });
const processStep: Step = async (p, d) => {
  let cur = await transition(receiver, d, 4);
  if ((p.procedure.fee as number) > 0) {
    cur = await transition(specialist, cur, 6, { fee: p.procedure.fee });
    // The clock runs while the fee is due (it pauses only where the procedure excludes that
    // time): an on-time dossier's citizen pays within the first half of the time left.
    const left = (Date.parse(cur.dueAt as string) - simNow) / HOUR;
    const wait = 1 + rand() * 4;
    const at =
      p.late || (cur.pauses as Json[]).some((x) => !x.to)
        ? workingLater(simNow, wait)
        : simNow + Math.floor(Math.max(0, left * 0.5 * rand()) * HOUR);
    return { next: pay, at, d: cur };
  }
  return finishLater(p, cur);
};
/**
 * The scan checker works asynchronously; a clerk does not return a result before the scan is in.
 * Asked again after a growing pause (a just-uploaded file first waits for the checker's usual time).
 */
async function digitized(id: string, component?: string, justUploaded = false): Promise<void> {
  let pause = 100;
  if (justUploaded) await new Promise((r) => setTimeout(r, 150));
  for (let waited = 0; waited < 20_000; waited += pause, pause = Math.min(400, Math.round(pause * 1.5))) {
    const cur = await call('GET', `/v1/dossiers/${id}`, undefined, receiver);
    if ((cur.components as Json[]).some((c) => c.digitized && (component ? c.id === component : c.id !== 'result'))) {
      return;
    }
    await new Promise((r) => setTimeout(r, pause));
  }
  throw new Error(`the scan of dossier ${id} was not digitized within 20 s`);
}

/**
 * The electronic result (kết quả điện tử): the specialist uploads the result as a PDF, the leader
 * signs it. Indicators 3.3 and 4.2 count a dossier only with it, so the dossiers received online
 * or scanned get one, as a ward that reaches the portal's figures issues them.
 */
async function electronicResult(d: Json): Promise<void> {
  const u = await call(
    'POST',
    `/v1/dossiers/${d.id}/result/upload-url`,
    { contentType: 'application/pdf', contentLength: PDF.length },
    specialist,
  );
  const put = await fetch(u.url as string, { method: 'PUT', headers: u.headers as Record<string, string>, body: PDF });
  work.requests++;
  work.changes++;
  if (!put.ok) throw new Error(`result upload: ${put.status}`);
  await digitized(d.id as string, 'result', true);
  for (let attempt = 0; ; attempt++) {
    try {
      await call('POST', `/v1/dossiers/${d.id}/result/sign`, undefined, leader);
      return;
    } catch (e) {
      // The scan checker may record the applicant's scan meanwhile: sign again on the new version.
      if ((e as { status?: number }).status !== 409 || attempt >= 5) throw e;
      if (/ALREADY_SIGNED/.test(String((e as { body?: string }).body))) return;
    }
  }
}

async function scan(p: Plan, d: Json) {
  const component = (d.components as Json[])[0]?.id as string | undefined;
  if (!component) return;
  const tok = p.online ? await citizenToken(p.citizen) : receiver;
  const u = await call(
    'POST',
    `/v1/dossiers/${d.id}/documents/${component}/upload-url`,
    { contentType: 'application/pdf', contentLength: PDF.length },
    tok,
  );
  const put = await fetch(u.url as string, { method: 'PUT', headers: u.headers as Record<string, string>, body: PDF });
  work.requests++;
  work.changes++;
  if (!put.ok) throw new Error(`scan upload: ${put.status}`);
}
const pay: Step = async (p, d) => {
  if (p.payOnline) {
    const tok = p.online ? await citizenToken(p.citizen) : receiver;
    // VNPay takes 5,000 đồng and more; small fees (certified copies) go through MoMo.
    const gateway = (d.feeDue as number) >= 5000 ? 'vnpay' : 'momo';
    const payment = await call('POST', `/v1/dossiers/${d.id}/payments`, { gateway }, tok);
    await call('POST', `/local/sandbox/${gateway}/pay`, undefined, undefined, {
      orderId: payment.orderId as string,
      outcome: 'success',
    });
    const cur = await call('GET', `/v1/dossiers/${d.id}`, undefined, receiver);
    if (cur.status !== 4) throw new Error(`dossier ${d.code} not confirmed by the sandbox payment`);
    return finishLater(p, cur);
  }
  return finishLater(p, await transition(receiver, d, 4, { reason: 'Nộp phí bằng tiền mặt tại quầy' }));
};
function finishLater(p: Plan, d: Json): { next: Step; at: number; d: Json } {
  const due = Date.parse(d.dueAt as string);
  // Late: at least a working day past the deadline, so that running a step up to one batch
  // window early (below) never turns it into an on-time one.
  if (p.late) return { next: finish, at: workingLater(due, 9 + rand() * 16), d };
  // On time: some time before the deadline (and the period's end), never after it.
  const span = Math.max(0, Math.min(due, periodEnd - HOUR) - simNow);
  return { next: finish, at: simNow + Math.floor(span * (0.1 + rand() * 0.8)), d };
}
const finish: Step = async (p, d) => {
  if (p.scanned) await digitized(d.id as string);
  if (p.online || p.scanned) await electronicResult(d);
  const done = await transition(leader, d, 9);
  const returned = await transition(receiver, done, 10);
  if (p.online && rand() < 0.3) {
    await call(
      'POST',
      `/v1/dossiers/${d.id}/feedback`,
      { score: rand() < 0.97 ? 5 : 4 },
      await citizenToken(p.citizen),
    );
    rated++;
  }
  return { d: returned };
};
/** Ratings given: the report is read once their facts are in too (a rating follows the return). */
let rated = 0;

for (const p of plans) schedule(p.at, p, submit, {});
const concurrency = Number(values.concurrency);
let steps = 0;
let batches = 0;
let lastDay = '';
while (queue.length) {
  queue.sort((a, b) => a.at - b.at);
  const first = queue[0] as Pending;
  // Steps of the next few hours run together, at the earliest of their moments: never later
  // than planned, so an on-time finish stays on time.
  const window = first.at + WINDOW;
  const batch: Pending[] = [];
  while (queue.length && (queue[0] as Pending).at < window) batch.push(queue.shift() as Pending);
  simNow = first.at;
  batches++;
  await call('POST', '/local/clock', { offsetMs: simNow - Date.now() });
  const day = new Date(simNow + 7 * HOUR).toISOString().slice(0, 10);
  if (day !== lastDay) {
    lastDay = day;
    await call('POST', '/local/schedules/sla-watch').catch(() => undefined);
    log(`${day}: ${steps} steps, ${queue.length + batch.length} pending`);
  }
  let k = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
      while (k < batch.length) {
        const item = batch[k++] as Pending;
        const r = await item.step(item.plan, item.d);
        steps++;
        if (r.next) schedule(Math.max(r.at ?? simNow, simNow), item.plan, r.next, r.d ?? item.d);
      }
    }),
  );
}

log(`simulation done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
// Let the statistics and the scan checker catch up, then read the report.
const reportPath = `/v1/reports?from=${sc.from}&to=${sc.to}`;
let report: Json = {};
for (let i = 0; i < 600; i++) {
  report = await call('GET', reportPath, undefined, leader);
  const settled =
    report.received === n &&
    report.finished === n &&
    report.digitized === scanned.filter(Boolean).length &&
    report.online === online.filter(Boolean).length &&
    report.ratings === rated;
  if (settled) break;
  await new Promise((r) => setTimeout(r, 250));
}
await call('POST', '/local/clock', { offsetMs: 0 });
log(
  `replayed ${n} dossiers (${steps} steps, ${batches} clock steps) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
await stopRuntime?.();
console.log(JSON.stringify({ ...report, replaySeconds: Math.round((Date.now() - started) / 100) / 10, work }));
process.exit(0);
