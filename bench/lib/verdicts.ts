/**
 * Verdicts that need more than one figure: the cost per 1,000 dossiers with what no write or
 * delivery mode can go below, and the seed replay against its floor on this machine. Each says whether its
 * target is met and, when not, by how much and what the measurement shows about why.
 */
import type { CostResult } from './cost.ts';
import { PRICES } from './prices.ts';
import { round } from './stats.ts';

const COST_TARGET_USD = 0.08;
const REPLAY_TARGET_S = 60;

/** The functions that consume events and write for them (the rest is the change itself). */
const CONSUMERS = ['functions/notifier.ts', 'functions/statistics.ts', 'functions/dvcqg-sync.ts'] as const;

interface CostVerdict {
  readonly target: string;
  readonly value: number;
  readonly met: boolean;
  readonly missedBy?: number;
  /**
   * The cost per 1,000 dossiers were the three event consumers to read and write nothing: what the
   * changes themselves, their events' delivery (EventBridge, SQS, Lambda) and the API cost.
   */
  readonly withoutConsumerStorageUSD: number;
  readonly consumersStorageUSD: Record<string, number>;
  /**
   * The same life, its units as measured, were every write single-priced (no transaction's double
   * price) and the bus consumers fed without queues (rules invoking Lambda): what no change of write
   * or delivery mode can go below, only doing less work.
   */
  readonly designFloor: {
    readonly usd: number;
    readonly transactionsSurchargeUSD: number;
    readonly busQueuesUSD: number;
    /** What is left, per price line (US$ per 1,000 dossiers). */
    readonly lines: Record<string, number>;
  };
  readonly why?: string;
}

export function costVerdict(cost: CostResult): CostVerdict {
  const per1000 = (units: number, price: { usd: number }) => units * price.usd * 1000;
  const consumersStorageUSD = Object.fromEntries(
    CONSUMERS.map((c) => {
      const o = cost.byOrigin[c] ?? {};
      const usd =
        per1000(o['dynamo WRU'] ?? 0, PRICES.dynamoWriteRequestUnit) +
        per1000(o['dynamo RRU'] ?? 0, PRICES.dynamoReadRequestUnit);
      return [c.replace(/^functions\/|\.ts$/g, ''), round(usd, 5)];
    }),
  );
  const consumers = Object.values(consumersStorageUSD).reduce((a, b) => a + b, 0);
  const value = cost.costPer1000DossiersUSD;
  const without = round(value - consumers, 5);
  const met = value <= COST_TARGET_USD;
  const line = (k: string) => round(cost.breakdown[k]?.usdPer1000Dossiers ?? 0, 4);
  const surcharge = per1000(cost.units.dynamoWRUInTransactions / 2, PRICES.dynamoWriteRequestUnit);
  const busQueues = per1000(cost.units.sqsRequestsForBusDeliveries, PRICES.sqsRequest);
  const floor = round(value - surcharge - busQueues, 5);
  const floorLines = Object.fromEntries(
    Object.entries(cost.breakdown).map(([k, l]) => {
      const less = k === 'dynamoWrites' ? surcharge : k === 'sqs' ? busQueues : 0;
      return [k, round(l.usdPer1000Dossiers - less, 5)];
    }),
  );
  const largest = Object.entries(floorLines)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, v]) => `${k} US$${round(v, 4)}`)
    .join(', ');
  const singleWRU = round(cost.units.dynamoWRU - cost.units.dynamoWRUInTransactions / 2, 1);
  return {
    target: `at most US$${COST_TARGET_USD}`,
    value,
    met,
    ...(met ? {} : { missedBy: round(value - COST_TARGET_USD, 5) }),
    withoutConsumerStorageUSD: without,
    consumersStorageUSD,
    designFloor: {
      usd: floor,
      transactionsSurchargeUSD: round(surcharge, 5),
      busQueuesUSD: round(busQueues, 5),
      lines: floorLines,
    },
    ...(met
      ? {}
      : {
          why:
            `Were every write of the life single-priced (its transactions bill ${cost.units.dynamoWRUInTransactions} ` +
            `WRU, twice a plain write's: US$${round(surcharge, 4)}) and the bus consumers fed without queues ` +
            `(${cost.units.sqsRequestsForBusDeliveries} SQS requests: US$${round(busQueues, 4)}), the same life would ` +
            `cost US$${floor} per 1,000 dossiers${floor > COST_TARGET_USD ? ', still above the target: only less work reaches it' : ''}. ` +
            `What is left is the work itself: ${singleWRU} single-priced WRU (the dossier rewritten at each change, ` +
            `its audit entries, the notifications, the indicator facts, the portal sync's state), ` +
            `${cost.units.eventBridgeEvents} events published, ${cost.units.lambdaInvocations} invocations and ` +
            `${cost.units.apiRequests} API requests; largest lines: ${largest}. Were the notifier, statistics and ` +
            `portal sync to read and write nothing, the measured life would cost US$${without} (EventBridge ` +
            `US$${line('eventBridge')}, API US$${line('apiGateway')}). One dossier is measured alone, as a ward sees ` +
            'them: batching windows do not merge its events.',
        }),
  };
}

interface ReplayVerdict {
  readonly target: string;
  readonly value: number;
  readonly met: boolean;
  readonly missedBy?: number;
  readonly floorSeconds?: number;
  readonly why?: string;
}

export function replayVerdict(r: {
  seconds: number;
  matches: boolean;
  received: number;
  requests?: number;
  changes?: number;
  floorSeconds?: number;
}): ReplayVerdict {
  const met = r.matches && r.seconds < REPLAY_TARGET_S;
  const floorTooHigh = r.floorSeconds !== undefined && r.floorSeconds >= REPLAY_TARGET_S;
  return {
    target: `the seed quarter (${r.received} dossiers) in under ${REPLAY_TARGET_S} s, its report matching the scenario`,
    value: r.seconds,
    met,
    ...(met ? {} : { missedBy: round(r.seconds - REPLAY_TARGET_S, 1) }),
    ...(r.floorSeconds !== undefined ? { floorSeconds: r.floorSeconds } : {}),
    ...(met || r.floorSeconds === undefined
      ? {}
      : {
          why:
            `The replay asked for ${r.requests} HTTP requests and ${r.changes} state changes. Measured on this ` +
            `machine at the replay's concurrency, those alone take ${r.floorSeconds} s (each change a read and one ` +
            'conditional write on DynamoDB Local, the least any design can do, and each request through the local ' +
            'gateway), with no event, ' +
            `consumer or upload: ${
              floorTooHigh
                ? `the target is below this machine's floor`
                : `that leaves ${round(REPLAY_TARGET_S - r.floorSeconds, 1)} s of the ${REPLAY_TARGET_S} for everything ` +
                  `else the replay does (the events published and consumed, the notifications, the indicators, the ` +
                  `portal sync, the uploads), which took ${round(r.seconds - r.floorSeconds, 1)} s here`
            }.`,
        }),
  };
}

interface FloorLike {
  readonly bytes: number;
  readonly loadMs: number;
  readonly loadMsMin: number;
}

/** What {@link bundleWhy} adds to the bundle-size target beside its reason. */
interface BundleProjection {
  readonly handlerFloorBytes: number;
  readonly zodMiniBytes: number;
  /** Each missing function's bytes were its zod (classic) replaced by zod/mini (functions that bundle zod). */
  readonly ifZodMini: Record<string, number>;
  /** Of those, the ones still over the target. */
  readonly stillMissedWithZodMini: readonly string[];
}

/**
 * Why the bundles and loads that miss their target miss it, from floors measured in the same run:
 * the SDK's own (a document client and one command), a handler's (the same in middy with the
 * Powertools logger, as every function is), and the smallest validation tried (zod/mini); and, for
 * each function that misses, what it would weigh were its zod replaced by zod/mini.
 */
export function bundleWhy(
  floors: { sdk: FloorLike; handler: FloorLike; zodMini: FloorLike },
  bundles: Record<string, { bytes: number; zodBytes: number }>,
  missed: readonly string[],
  targets: { bytes: number; loadMs: number },
): { bundleSize: string; loadTime: string; projection: BundleProjection } {
  const { sdk, handler, zodMini } = floors;
  const ifZodMini: Record<string, number> = {};
  for (const name of missed) {
    const b = bundles[name];
    if (b && b.zodBytes > 0) ifZodMini[name] = b.bytes - b.zodBytes + zodMini.bytes;
  }
  const projected = Object.entries(ifZodMini).sort((a, b) => a[1] - b[1]);
  const still = projected.filter(([, bytes]) => bytes >= targets.bytes).map(([name]) => name);
  const under = projected.filter(([, bytes]) => bytes < targets.bytes).map(([name]) => name);
  const zods = missed.map((n) => bundles[n]?.zodBytes ?? 0).filter((z) => z > 0);
  const smallest = projected.find(([, bytes]) => bytes >= targets.bytes);
  const noZod = missed.filter((n) => bundles[n] && !(n in ifZodMini));
  const left = targets.bytes - handler.bytes;
  const projection =
    projected.length === 0
      ? ''
      : ` Were each missing function's zod (classic with its messages, ${Math.min(...zods)}-${Math.max(...zods)} bytes) ` +
        `replaced by zod/mini (a lower bound: one small schema, where a function has dozens), ${still.length} of ` +
        `those ${projected.length} would still miss` +
        (smallest ? ` (the lightest ${smallest[0]}, ${smallest[1]} bytes)` : '') +
        (under.length ? `, and ${under.join(', ')} would come under it` : '') +
        '.';
  const withoutZod = noZod.length
    ? ` ${noZod.join(', ')} bundle no zod: what they carry above the handler floor is in their \`largest\`.`
    : '';
  return {
    bundleSize:
      `A handler that talks to DynamoDB, in middy with the Powertools logger as every function is, starts at ` +
      `${handler.bytes} bytes (measured in this run; ${sdk.bytes} of them the SDK's document client and one command), ` +
      `${Math.round((100 * handler.bytes) / targets.bytes)} % of the ${targets.bytes}-byte target: ` +
      `${left > 0 ? `${left} bytes are left` : 'nothing is left'} for validation and the function's own code, ` +
      `and zod/mini, the smallest validation tried, takes ${zodMini.bytes} bytes for one small schema.${projection}${withoutZod}`,
    loadTime:
      `That handler loads in ${handler.loadMs} ms here (fastest ${handler.loadMsMin} ms; the SDK part alone ` +
      `${sdk.loadMs} ms), against a ${targets.loadMs} ms target: ` +
      (handler.loadMsMin >= targets.loadMs
        ? "the target is below this machine's floor for any function that holds a DynamoDB client"
        : `${round(targets.loadMs - handler.loadMsMin, 2)} ms are left for validation and the function's own code ` +
          `(zod/mini with one schema loads in ${zodMini.loadMs} ms alone)`) +
      '.',
    projection: {
      handlerFloorBytes: handler.bytes,
      zodMiniBytes: zodMini.bytes,
      ifZodMini: Object.fromEntries(projected),
      stillMissedWithZodMini: still,
    },
  };
}

interface TargetLike {
  readonly met: boolean;
  readonly value?: unknown;
  readonly verdicts?: Record<string, string>;
}

/** What README.md's results table is made of: the bench's own figures and verdicts, nothing typed by hand. */
interface SummaryInput {
  readonly date: string;
  readonly machine: string;
  readonly targets: Record<string, TargetLike | undefined>;
  readonly overhead: Record<string, { ratio: number; handlerRatio: number }>;
  readonly bundles: Record<string, { bytes: number; loadMs: number; loadMsMin: number }>;
  readonly largeFunction: string;
  readonly sdkFloor?: { bytes: number; loadMs: number };
  /** The SDK floor in a middy handler with the Powertools logger. */
  readonly handlerFloor?: { bytes: number; loadMs: number };
  readonly cost?: CostResult;
  readonly costVerdict?: CostVerdict;
  readonly bill?: { wards1: { monthUSD: number }; wards166: { monthUSD: number; perWardMonthUSD: number } };
  readonly replay?: { seconds: number; received: number; matches: boolean; floorSeconds?: number };
}

const verdict = (t: TargetLike | undefined) => (t === undefined ? 'not measured' : t.met ? '**met**' : '**missed**');
const kb = (b: number) => `${Math.round(b / 1000)} KB`;

export function readmeTable(s: SummaryInput): string {
  const rows: string[] = [
    `Run of ${s.date} on ${s.machine} (\`npm run bench\`; this table is written by it).`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
  ];
  const ov = Object.entries(s.overhead);
  if (ov.length) {
    rows.push(
      `| overhead over the bare storage calls | ${ov.map(([k, v]) => `${k} ${v.ratio} (handler alone ${v.handlerRatio})`).join('; ')} | ≤ 1.3: ${verdict(s.targets.overheadRatio)} |`,
    );
  }
  const all = Object.entries(s.bundles).filter(([k]) => k !== s.largeFunction);
  if (all.length) {
    const bytes = all.map(([, b]) => b.bytes);
    const loads = all.map(([, b]) => b.loadMs);
    const under = (t: TargetLike | undefined) =>
      Object.entries(t?.verdicts ?? {})
        .filter(([, v]) => v === 'met')
        .map(([k]) => `\`${k}\``);
    const sizeMet = under(s.targets.bundleSize);
    const loadMet = under(s.targets.loadTime);
    const handler = (f: (h: { bytes: number; loadMs: number }) => string) =>
      s.handlerFloor ? `, in a handler with middy and the logger ${f(s.handlerFloor)}` : '';
    const floor = s.sdkFloor
      ? `; the SDK alone (document client + one command) ${kb(s.sdkFloor.bytes)}${handler((h) => kb(h.bytes))}`
      : '';
    const floorLoad = s.sdkFloor ? `; the SDK alone ${s.sdkFloor.loadMs} ms${handler((h) => `${h.loadMs} ms`)}` : '';
    rows.push(
      `| bundles (minified) | ${all.length} functions: ${kb(Math.min(...bytes))}-${kb(Math.max(...bytes))}${floor} | < 250 KB: ${verdict(s.targets.bundleSize)} (${sizeMet.length} of ${all.length} under${sizeMet.length ? `: ${sizeMet.join(', ')}` : ''}) |`,
      `| module load | ${Math.min(...loads)}-${Math.max(...loads)} ms${floorLoad} | < 30 ms: ${verdict(s.targets.loadTime)} (${loadMet.length} of ${all.length} under${loadMet.length ? `: ${loadMet.join(', ')}` : ''}) |`,
    );
  }
  const large = s.bundles[s.largeFunction];
  if (large) {
    rows.push(
      `| \`${s.largeFunction}\` (PDF) | ${kb(large.bytes)}, load ${large.loadMsMin} ms (fastest run) | its own budget: ${verdict(s.targets.largeFunction)} |`,
    );
  }
  if (s.cost && s.costVerdict) {
    rows.push(
      `| cost per 1,000 dossiers (us-east-1) | US$${s.cost.costPer1000DossiersUSD}; the same work single-priced and without queues, US$${s.costVerdict.designFloor.usd} | ≤ US$0.08: ${verdict(s.costVerdict)} |`,
    );
  }
  if (s.bill) {
    rows.push(
      `| monthly bill | one ward US$${s.bill.wards1.monthUSD}; 166 wards US$${s.bill.wards166.monthUSD} (US$${s.bill.wards166.perWardMonthUSD} a ward) | < US$1 a ward: ${s.bill.wards166.perWardMonthUSD < 1 ? '**met**' : '**missed**'} |`,
    );
  }
  if (s.replay) {
    rows.push(
      `| seed quarter replay (${s.replay.received} dossiers) | ${s.replay.seconds} s, report ${s.replay.matches ? 'matches' : 'does NOT match'} the scenario${s.replay.floorSeconds !== undefined ? `; this machine's floor for that work ${s.replay.floorSeconds} s` : ''} | < 60 s: ${verdict(s.targets.replay)} |`,
    );
  }
  return rows.join('\n');
}
