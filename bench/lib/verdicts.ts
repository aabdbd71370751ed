/**
 * Verdicts that need more than one figure: the cost per 1,000 dossiers with the part no consumer
 * change can reach, and the seed replay against its floor on this machine. Each says whether its
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
  return {
    target: `at most US$${COST_TARGET_USD}`,
    value,
    met,
    ...(met ? {} : { missedBy: round(value - COST_TARGET_USD, 5) }),
    withoutConsumerStorageUSD: without,
    consumersStorageUSD,
    ...(met
      ? {}
      : {
          why:
            `Were the notifier, statistics and the portal sync to read and write nothing, a life would still cost ` +
            `US$${without} per 1,000 dossiers${without > COST_TARGET_USD ? ', above the target' : ''}: the ` +
            `changes' own conditional transactions (DynamoDB writes of the API functions), and for each of the ` +
            `life's ${cost.units.eventBridgeEvents} events its delivery to the consumers' queues ` +
            `(SQS US$${line('sqs')}, EventBridge US$${line('eventBridge')}, Lambda US$${round(line('lambdaRequests') + line('lambdaDuration'), 4)}), ` +
            `and the ${cost.units.apiRequests} API requests (US$${line('apiGateway')}). ` +
            'One dossier is measured alone, as a ward sees them: batching windows do not merge its events.',
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
            `machine at the replay's concurrency, those alone take ${r.floorSeconds} s (each change a read and a ` +
            'conditional transaction on DynamoDB Local, each request through the local gateway), with no event, ' +
            `consumer or upload: ${floorTooHigh ? `the target is below this machine's floor` : 'the rest is the consumers, the uploads and the events'}.`,
        }),
  };
}

/**
 * Why the bundles and loads that miss their target miss it: the SDK's own floor (a document client
 * and one command) against the target, and what each function carries above it.
 */
export function bundleWhy(
  sdkFloor: { bytes: number; loadMs: number; loadMsMin: number },
  targets: { bytes: number; loadMs: number },
): { bundleSize: string; loadTime: string } {
  return {
    bundleSize:
      `A function that talks to DynamoDB starts at ${sdkFloor.bytes} bytes (the SDK: a document client and one ` +
      `command, measured in this run), ${Math.round((100 * sdkFloor.bytes) / targets.bytes)} % of the ` +
      `${targets.bytes}-byte target, before middy, the logger, validation and its own code; an S3 client adds ` +
      'about as much again.',
    loadTime:
      `Loading that SDK part alone takes ${sdkFloor.loadMs} ms here (fastest ${sdkFloor.loadMsMin} ms), against a ` +
      `${targets.loadMs} ms target: ${sdkFloor.loadMsMin >= targets.loadMs ? "the target is below this machine's floor for any function that holds a DynamoDB client" : 'what is left for the rest is the difference'}.`,
  };
}
