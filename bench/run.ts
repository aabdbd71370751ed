/**
 * The benchmark (`npm run bench`): a fresh local runtime in memory, then
 *   1. cost      one dossier's whole life, every AWS request counted and priced;
 *   2. latency   p50/p95/p99 of the main routes, sequential requests;
 *   3. overhead  route time over the bare DynamoDB calls the handler makes;
 *   4. throughput submissions and whole lifecycles, closed loop, concurrency 8;
 *   4b. floor    what a state change and a request cost here at the replay's concurrency;
 *   5. bundles   every cloud function bundled as the CDK does it: bytes, module load time;
 *   6. bill      the whole monthly bill of one ward and of 166 wards, fixed lines included;
 *   7. replay    the seed quarter through the replay tool, set against the floor.
 * Writes bench/results.json and the results section of bench/README.md; prints a short table.
 *
 * Options: --quick (fewer samples, shorter phases), --samples N, --seconds S (each throughput
 * phase), --concurrency C, --skip PHASE[,PHASE] (cost, latency, overhead, throughput, bundles),
 * --out FILE, --no-readme.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Results } from './lib/report.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    samples: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    skip: { type: 'string', default: '' },
    out: { type: 'string' },
    'no-readme': { type: 'boolean', default: false },
  },
});

const log = (m: string) => process.stderr.write(`${m}\n`);
const here = (p: string) => new URL(p, import.meta.url).pathname;
const skip = new Set(values.skip.split(',').filter(Boolean));
const samples = Number(values.samples ?? (values.quick ? 40 : 200));
const seconds = Number(values.seconds ?? (values.quick ? 3 : 10));
const concurrency = Number(values.concurrency);
const outFile = values.out ?? here('./results.json');

const { machine } = await import('./lib/machine.ts');
const mach = machine();
const started = performance.now();
log(`motcua bench on ${mach.cpuModel} × ${mach.cores}, Node ${mach.node}, load ${mach.loadAverageAtStart.join(' ')}`);

const { authorizerSpec, cloudFunctions } = await import('#wiring/manifest.ts');
const specs = cloudFunctions();
const { Api } = await import('./lib/api.ts');
const { HttpClient } = await import('./lib/http-client.ts');
const { Probe } = await import('./lib/probe.ts');
const { measureCost } = await import('./lib/cost.ts');
const { measureRoutes } = await import('./lib/latency.ts');
const { measureOverhead } = await import('./lib/overhead.ts');
const { submissions, lifecycles } = await import('./lib/throughput.ts');
const { measureBundles } = await import('./lib/bundles.ts');
const { markdown, scale, table, TARGETS, targets } = await import('./lib/report.ts');
const { PRICES } = await import('./lib/prices.ts');
const { measureFloor, floorSeconds } = await import('./lib/floor.ts');
const { bundleWhy, costVerdict, readmeTable, replayVerdict } = await import('./lib/verdicts.ts');

const phaseTimes: Record<string, number> = {};
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  if (skip.has(name)) {
    log(`${name}: skipped`);
    return undefined;
  }
  const t0 = performance.now();
  log(`${name}:`);
  try {
    return await run();
  } finally {
    phaseTimes[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`  (${phaseTimes[name]} s)`);
  }
}

const runtimeNeeded = ['cost', 'latency', 'overhead', 'throughput', 'floor'].some((p) => !skip.has(p));
let cost: Awaited<ReturnType<typeof measureCost>> | undefined;
let latency: Awaited<ReturnType<typeof measureRoutes>> | undefined;
let overhead: Awaited<ReturnType<typeof measureOverhead>> | undefined;
const throughput: Results['throughput'] = {};
/** The replay tool's default concurrency (tools/replay.ts), at which the floor is measured. */
const REPLAY_CONCURRENCY = 24;
let floor: Awaited<ReturnType<typeof measureFloor>> | undefined;
let probeInfo: { hooked: string[]; skipped: { fn: string; error: string }[] } | undefined;

if (runtimeNeeded) {
  const { startRuntime } = await import('../local/runtime.ts');
  const { freePort } = await import('../local/servers.ts');
  const t0 = performance.now();
  const rt = await startRuntime({
    port: await freePort(),
    dataDir: join(tmpdir(), 'motcua-bench'),
    memory: true,
    schedules: false,
    retryDelayS: 1,
    // One load generator on one address: the per-IP limit of the public routes would refuse it.
    publicRateLimit: false,
  });
  log(`runtime at ${rt.baseUrl} in ${Math.round(performance.now() - t0)} ms`);
  const probe = new Probe(rt, specs);
  const http = new HttpClient(rt.baseUrl, Math.max(16, concurrency * 2));
  try {
    await probe.attach();
    probeInfo = { hooked: probe.hooked, skipped: probe.skipped };
    if (probe.skipped.length) log(`  not hooked: ${probe.skipped.map((s) => `${s.fn} (${s.error})`).join(', ')}`);
    const api = new Api(http);
    const t = await api.tokens();
    const procs = await api.procedures();

    cost = await phase('cost', () => measureCost(api, t, procs, probe, specs, (n) => rt.runSchedule(n), log));
    if (cost) {
      for (const s of cost.steps) log(`  ${s.done ? ' ' : '-'} ${s.step}${s.note ? ` (${s.note})` : ''}`);
      log(`  US$${cost.costPer1000DossiersUSD} per 1,000 dossiers`);
    }
    let relayPaused = false;
    const relay = {
      pause: async () => {
        if (relayPaused) return;
        relayPaused = true;
        await rt.stopRelay();
      },
      resume: async () => {
        if (!relayPaused) return;
        relayPaused = false;
        rt.startRelay();
        // Give the reader time to find its checkpoint and take the first batch before waiting for quiet.
        await new Promise((r) => setTimeout(r, 500));
      },
    };
    latency = await phase('latency', () =>
      measureRoutes(api, t, procs, probe, { samples, maxSeconds: values.quick ? 4 : 10, warmup: 10, log, relay }),
    );
    overhead = await phase('overhead', () =>
      measureOverhead(api, t, procs, probe, rt.endpoints.dynamodb, Math.min(samples, 100), log, relay),
    );
    await phase('throughput', async () => {
      await probe.quiet(800, 20_000);
      throughput.submissions = await submissions(api, t, procs, probe, concurrency, seconds);
      log(
        `  submissions: ${throughput.submissions.perSecond}/s, ${throughput.submissions.transactionsCancelled} cancelled`,
      );
      await probe.quiet(800, 30_000);
      throughput.lifecycles = await lifecycles(api, t, procs, probe, concurrency, seconds);
      log(`  lifecycles: ${throughput.lifecycles.perSecond}/s`);
    });
    floor = await phase('floor', async () => {
      await probe.quiet(800, 30_000);
      const f = await measureFloor(rt.endpoints.dynamodb, rt.baseUrl, {
        concurrency: REPLAY_CONCURRENCY,
        changes: values.quick ? 1000 : 4000,
        requests: values.quick ? 1000 : 4000,
      });
      log(
        `  ${f.changesPerSecond} state changes/s (read + one conditional write; ${f.transactionChangesPerSecond}/s ` +
          `with this code's transaction), ${f.requestsPerSecond} requests/s`,
      );
      return f;
    });
  } finally {
    probe.detach();
    http.close();
    await rt.stop();
  }
}

const bundled = await phase('bundles', () => measureBundles([...specs, authorizerSpec], values.quick ? 3 : 5, log));

// The seed's quarter through the replay tool, as a user runs it (it starts its own runtime).
interface ReplayResult {
  scenario: string;
  seconds: number;
  received: number;
  matches: boolean;
  /** What the replay asked for (tools/replay.ts `work`). */
  requests?: number;
  changes?: number;
  /** The least time that work can take on this machine (bench/lib/floor.ts), and the goal. */
  floorSeconds?: number;
  targetSeconds: number;
}
const replayed = skip.has('replay')
  ? undefined
  : await phase('replay', async (): Promise<ReplayResult> => {
      const scenario = 'scenarios/bim-son-2025-q3.json';
      const want = JSON.parse(readFileSync(here(`../${scenario}`), 'utf8')) as Record<string, number>;
      const t0 = performance.now();
      const { stdout } = await promisify(execFile)(
        'npx',
        ['tsx', 'tools/replay.ts', '--scenario', scenario, '--quiet'],
        {
          cwd: here('..'),
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number> & {
        work?: { requests: number; changes: number };
      };
      const matches = r.received === want.received && r.onTime === want.onTime && r.overdue === want.overdue;
      const least = r.work && floor ? floorSeconds(floor, r.work) : undefined;
      if (r.work) log(`  ${r.work.requests} requests, ${r.work.changes} state changes`);
      if (least !== undefined) log(`  floor on this machine: ${least} s (target 60 s)`);
      return {
        scenario,
        seconds,
        received: r.received ?? 0,
        matches,
        ...(r.work ? { requests: r.work.requests, changes: r.work.changes } : {}),
        ...(least !== undefined ? { floorSeconds: least } : {}),
        targetSeconds: 60,
      };
    });

// The whole monthly bill: the measured life × a month's dossiers, plus the fixed lines of the
// synthesized templates, for one ward and for 166 wards in one deployment.
const bill = cost
  ? await phase('bill', async () => {
      const { buildApp } = await import('../infra/app.ts');
      const { countTemplates, monthlyBill } = await import('./lib/bill.ts');
      // The prod deployment as an operator deploys it (an alarm subscriber is required there).
      const { app } = buildApp({
        nag: false,
        context: {
          'aws:cdk:bundling-stacks': [],
          'motcua:stage': 'prod',
          'motcua:alarmEmail': 'ops@example.gov.vn',
        },
      });
      const templates = app.synth().stacks.map((s) => s.template as Parameters<typeof countTemplates>[0][number]);
      const counts = countTemplates(
        templates,
        specs.flatMap((f) => f.schedules ?? []),
      );
      const input = {
        perDossierUSD: cost.costPer1000DossiersWithLogsUSD / 1000,
        scheduleRunUSD: Object.fromEntries(Object.entries(cost.schedules).map(([k, v]) => [k, v.usdPerRun])),
        apiRequestsPerDossier: cost.units.apiRequests,
        counts,
      };
      const wards1 = monthlyBill({ ...input, wards: 1 });
      const wards166 = monthlyBill({ ...input, wards: 166 });
      log(
        `  one ward US$${wards1.monthUSD}/month; 166 wards US$${wards166.monthUSD}/month (US$${wards166.perWardMonthUSD} a ward)`,
      );
      return {
        wards1: { monthUSD: wards1.monthUSD, dossiersPerMonth: wards1.dossiersPerMonth },
        wards166: {
          monthUSD: wards166.monthUSD,
          perWardMonthUSD: wards166.perWardMonthUSD,
          dossiersPerMonth: wards166.dossiersPerMonth,
        },
        lines: { wards1: wards1.lines, wards166: wards166.lines },
        counts,
      };
    })
  : undefined;

const overheadRatio = overhead ? Math.max(...Object.values(overhead).map((o) => o.ratio)) : undefined;
const handlerOverheadRatio = overhead ? Math.max(...Object.values(overhead).map((o) => o.handlerRatio)) : undefined;
const results = {
  machine: mach,
  routes: latency?.routes ?? {},
  throughput,
  overheadRatio,
  handlerOverheadRatio,
  overhead: Object.fromEntries(
    Object.entries(overhead ?? {}).map(([k, { routeMs, bareMs, ...rest }]) => [k, rest]),
  ) as Results['overhead'],
  bundles: bundled?.bundles ?? {},
  costPer1000DossiersUSD: cost?.costPer1000DossiersUSD,
  cost,
  targets: targets(bundled?.bundles ?? {}, overheadRatio, cost?.costPer1000DossiersUSD),
  durationSeconds: Math.round((performance.now() - started) / 1000),
} satisfies Results;
const replayNote = {
  ...(replayed ? { replay: replayed } : {}),
  ...(floor ? { floor } : {}),
  ...(bill ? { bill } : {}),
};

const scaleNote = scale(cost);
// The targets that need more than one figure say by how much they are missed and why.
const missedBundles = (t: { verdicts?: Record<string, string> } | undefined) =>
  Object.entries(t?.verdicts ?? {})
    .filter(([, v]) => v !== 'met')
    .map(([k]) => k);
const sdkWhy = bundled?.floors
  ? bundleWhy(bundled.floors, bundled.bundles, missedBundles(results.targets.bundleSize), {
      bytes: TARGETS.bundleBytes,
      loadMs: TARGETS.loadMs,
    })
  : undefined;
const floorsNote = bundled?.floors
  ? { sdkFloor: bundled.floors.sdk, handlerFloor: bundled.floors.handler, zodMini: bundled.floors.zodMini }
  : {};
const verdicts = {
  ...(sdkWhy && results.targets.bundleSize && !results.targets.bundleSize.met
    ? { bundleSize: { ...results.targets.bundleSize, ...floorsNote, ...sdkWhy.projection, why: sdkWhy.bundleSize } }
    : {}),
  ...(sdkWhy && results.targets.loadTime && !results.targets.loadTime.met
    ? { loadTime: { ...results.targets.loadTime, ...floorsNote, why: sdkWhy.loadTime } }
    : {}),
  ...(cost ? { costPer1000Dossiers: costVerdict(cost) } : {}),
  ...(replayed ? { replay: replayVerdict(replayed) } : {}),
};
for (const [k, v] of Object.entries(verdicts)) if (v.why) log(`${k}: ${v.why}`);
const file = {
  ...results,
  targets: { ...results.targets, ...verdicts },
  ...replayNote,
  scale: scaleNote,
  prices: PRICES,
  method: {
    runtime: 'local/runtime.ts startRuntime in this process, in memory, schedules off, POWERTOOLS_LOG_LEVEL=ERROR',
    routes:
      `sequential requests after 10 warm-up requests, up to ${samples} samples or ${values.quick ? 4 : 10} s per ` +
      'route; the outbox relay (and so the consumers) paused during the write routes, as they run in other ' +
      'containers in Lambda',
    throughput: `closed loop, ${concurrency} workers, ${seconds} s each`,
    overheadRatio:
      'the largest of the measured routes’ ratios: median route time (HTTP round trip) over the median time of ' +
      'the same DynamoDB commands replayed with a fresh DynamoDBDocumentClient, relay paused; ' +
      'handlerOverheadRatio: the same with the handler time (inside the function, without the HTTP hop)',
    bundles:
      'esbuild as the CDK construct runs it; load = fresh node, await import(), median; init (the functions of ' +
      'INIT_EVENTS in bench/lib/bundles.ts) = module load + first invocation in one fresh node, median, with an ' +
      'event that needs no AWS service (a 4xx of validation, or a route that reads nothing)',
    cost: 'one life after a warm-up life; every AWS request counted by SDK middleware; us-east-1 list prices',
    replay:
      'npm run replay -- --scenario scenarios/bim-son-2025-q3.json, wall time of the whole command (skip: --skip replay)',
    floor:
      'bench/lib/floor.ts: at the replay tool’s concurrency, state changes/s (GetItem + one conditional PutItem of a ' +
      'dossier-sized item with its history entry and events inside: the least any design writes; ' +
      'transactionChangesPerSecond: GetItem + the TransactWriteItems this code writes) and requests/s (fetch of a ' +
      'route that makes no AWS call); replay.floorSeconds = changes / changesPerSecond + requests / requestsPerSecond',
    phaseSeconds: phaseTimes,
  },
  ...(bundled
    ? {
        bundleOptions: bundled.check,
        bundlesSkipped: bundled.skipped,
        ...(bundled.floors ? { floors: bundled.floors } : {}),
      }
    : {}),
  ...(probeInfo ? { hookedFunctions: probeInfo.hooked, notHooked: probeInfo.skipped } : {}),
};
writeFileSync(outFile, `${JSON.stringify(file, null, 2)}\n`);
log(`wrote ${outFile}`);

if (!values['no-readme'] && !values.out) {
  const readme = here('./README.md');
  try {
    const text = readFileSync(readme, 'utf8');
    const start = '<!-- results:start -->';
    const end = '<!-- results:end -->';
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) {
      writeFileSync(readme, `${text.slice(0, a + start.length)}\n${markdown(results, scaleNote)}\n${text.slice(b)}`);
      log(`updated the results section of ${readme}`);
    }
  } catch {
    // no README yet
  }
}

// README.md's results table, from this run's figures and verdicts.
if (!values['no-readme'] && !values.out) {
  const readme = here('../README.md');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) {
    const summary = readmeTable({
      date: `${mach.date.slice(0, 16).replace('T', ' ')} UTC`,
      machine: `${mach.cpuModel} × ${mach.cores}, Node ${mach.node}, load average ${mach.loadAverageAtStart[0]} at the start`,
      targets: file.targets,
      overhead: Object.fromEntries(
        Object.entries(results.overhead).map(([k, v]) => [k, { ratio: v.ratio, handlerRatio: v.handlerRatio }]),
      ),
      bundles: results.bundles,
      largeFunction: TARGETS.largeFunction,
      ...(bundled?.floors ? { sdkFloor: bundled.floors.sdk, handlerFloor: bundled.floors.handler } : {}),
      ...(cost && verdicts.costPer1000Dossiers ? { cost, costVerdict: verdicts.costPer1000Dossiers } : {}),
      ...(bill ? { bill } : {}),
      ...(replayed ? { replay: replayed } : {}),
    });
    writeFileSync(readme, `${text.slice(0, a + start.length)}\n${summary}\n${text.slice(b)}`);
    log(`updated the results table of ${readme}`);
  }
}

process.stdout.write(`${table(results)}\n`);
if (replayed) {
  process.stdout.write(
    `replay of ${replayed.scenario}: ${replayed.received} dossiers in ${replayed.seconds} s, report ${replayed.matches ? 'matches' : 'does NOT match'} the scenario` +
      (replayed.floorSeconds !== undefined
        ? `; floor on this machine ${replayed.floorSeconds} s (target 60 s)\n`
        : '\n'),
  );
}
process.exit(0);
