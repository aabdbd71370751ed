/**
 * The whole monthly bill of a deployment: what one dossier's life costs (measured by the cost
 * phase) times the dossiers of a month, plus the lines that are paid whether or not a dossier
 * moves (keys, secrets, alarms, idle queue polling, schedules, the WAF) and the sign-in of the
 * people who use it. Counts of fixed resources are read from the synthesized templates, as AWS
 * reads them, not from what we believe the app declares.
 *
 * Two volumes: one ward at Bỉm Sơn's pace, and 166 wards (Thanh Hóa's communes and wards) in one
 * deployment, where the fixed lines are shared.
 */
import { DEVICE_TOKEN_AUDIENCE } from '#wiring/definitions.ts';
import { PRICES } from './prices.ts';
import { round } from './stats.ts';

/** Bỉm Sơn's Q3 2025 (scenarios/bim-son-2025-q3.json): 2,796 dossiers a quarter. */
const WARD_DOSSIERS_PER_MONTH = 932;
/** Share of them submitted online (the same scenario). */
const WARD_ONLINE_SHARE = 0.922;
/** Officials who sign in each month at one ward's center (receivers, specialists, leaders, admin). */
const WARD_STAFF = 15;
/** Kiosks per ward (Bỉm Sơn has two receiving points). */
const WARD_KIOSKS = 2;
/** The API authorizer's memory and a verification's billed time (keys cached per container). */
const AUTHORIZER_MB = 256;
const AUTHORIZER_MS = 20;
/** Months a dossier's items and scans are kept online before this estimate (storage grows). */
const RETENTION_MONTHS = 12;
/** Average size of one dossier's table items (dossier, history, facts, payments), bytes. */
const DOSSIER_TABLE_BYTES = 12_000;
/** Average size of one dossier's scans and signed result in S3, bytes. */
const DOSSIER_SCAN_BYTES = 1_500_000;

/** What the synthesized templates hold that is billed per month. */
export interface TemplateCounts {
  readonly alarms: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  /** SQS queues read by a Lambda event source mapping (their pollers bill empty receives). */
  readonly polledQueues: number;
  /** EventBridge Scheduler schedules / rules, with their interval in minutes. */
  readonly schedules: readonly { readonly name: string; readonly everyMinutes: number }[];
  readonly wafWebAcls: number;
  readonly wafRules: number;
  /** How citizens' VNeID tokens reach the API: through a Cognito user pool, or verified directly. */
  readonly citizenSignIn: 'cognito-federation' | 'direct-jwt';
}

interface BillInput {
  readonly wards: number;
  /** One dossier's whole life, logs included (cost phase). */
  readonly perDossierUSD: number;
  /** What one schedule run costs for the two demo wards (cost phase), by schedule name. */
  readonly scheduleRunUSD: Readonly<Record<string, number>>;
  /** Requests a dossier's life makes to the API (cost phase): what the WAF and CloudFront see. */
  readonly apiRequestsPerDossier: number;
  readonly counts: TemplateCounts;
}

interface BillLine {
  readonly line: string;
  readonly monthUSD: number;
  readonly basis: string;
}

interface Bill {
  readonly wards: number;
  readonly dossiersPerMonth: number;
  readonly monthUSD: number;
  readonly perWardMonthUSD: number;
  readonly lines: readonly BillLine[];
}

const MINUTES_PER_MONTH = 30 * 24 * 60;
/** Lambda's SQS event source long-polls each queue with 5 pollers, 20 s each, when idle. */
const IDLE_RECEIVES_PER_QUEUE_MONTH = 5 * 3 * MINUTES_PER_MONTH;
const GB = 1024 ** 3;

/** Citizens who sign in during a month: one per online dossier (a citizen rarely files twice a month). */
export const citizenMau = (wards: number) => Math.round(wards * WARD_DOSSIERS_PER_MONTH * WARD_ONLINE_SHARE);

/** The monthly bill of `wards` wards in one deployment. */
export function monthlyBill(input: BillInput): Bill {
  const { wards, counts } = input;
  const dossiers = wards * WARD_DOSSIERS_PER_MONTH;
  const lines: BillLine[] = [];
  const add = (line: string, monthUSD: number, basis: string) =>
    lines.push({ line, monthUSD: round(monthUSD, 4), basis });

  add(
    'dossiers (API, Lambda, DynamoDB requests, S3 requests, SQS, EventBridge, logs ingested)',
    dossiers * input.perDossierUSD,
    `${dossiers} dossiers × US$${round(input.perDossierUSD, 7)} (the cost phase's life, logs at INFO included)`,
  );

  const mau = citizenMau(wards);
  if (counts.citizenSignIn === 'cognito-federation') {
    const free = PRICES.cognitoFederatedMau.freeMau;
    add(
      'citizens signing in (Cognito, VNeID federated over OIDC)',
      Math.max(0, mau - free) * PRICES.cognitoFederatedMau.usd,
      `${mau} monthly active citizens, ${free} free, US$${PRICES.cognitoFederatedMau.usd} each`,
    );
  } else {
    add(
      'citizens signing in (VNeID tokens verified directly by the API)',
      0,
      `${mau} monthly active citizens, no per-user charge`,
    );
    // Its answers are cached per token for 5 minutes; at most one invocation per API request.
    const invocations = dossiers * input.apiRequestsPerDossier;
    add(
      'API authorizer (Lambda, per token, cached 5 min)',
      invocations *
        (PRICES.lambdaRequest.usd + (AUTHORIZER_MB / 1024) * (AUTHORIZER_MS / 1000) * PRICES.lambdaArmGbSecond.usd),
      `at most ${invocations} invocations (one per API request), ${AUTHORIZER_MB} MB × ${AUTHORIZER_MS} ms`,
    );
  }
  const staff = wards * WARD_STAFF;
  add(
    'officials signing in (Cognito user pool, direct users)',
    Math.max(0, staff - PRICES.cognitoDirectMau.freeMau) * PRICES.cognitoDirectMau.usd,
    `${staff} officials, ${PRICES.cognitoDirectMau.freeMau} free`,
  );
  add(
    'kiosks (device credentials issued by the deployment itself)',
    0,
    `${wards * WARD_KIOSKS} kiosks; Cognito client-credentials would cost US$${PRICES.cognitoM2mAppClient.usd} per client a month plus US$${PRICES.cognitoM2mTokenRequest.usd * 1000} per 1,000 tokens`,
  );

  add('KMS keys', counts.kmsKeys * PRICES.kmsKeyMonth.usd, `${counts.kmsKeys} customer-managed keys in the templates`);
  add('Secrets Manager secrets', counts.secrets * PRICES.secretMonth.usd, `${counts.secrets} secrets in the templates`);
  add(
    'CloudWatch alarms',
    counts.alarms * PRICES.alarmMonth.usd,
    `${counts.alarms} standard-resolution alarms in the templates`,
  );
  add(
    'idle queue polling (Lambda SQS event sources)',
    counts.polledQueues * IDLE_RECEIVES_PER_QUEUE_MONTH * PRICES.sqsRequest.usd,
    `${counts.polledQueues} polled queues × ${IDLE_RECEIVES_PER_QUEUE_MONTH} empty long polls (5 pollers, 20 s)`,
  );
  let schedules = 0;
  const scheduleBasis: string[] = [];
  for (const s of counts.schedules) {
    const runs = MINUTES_PER_MONTH / s.everyMinutes;
    // The measured run covered the two demo wards; a run reads each ward's open dossiers.
    const perRun = ((input.scheduleRunUSD[s.name] ?? 0) * wards) / 2 + PRICES.schedulerInvocation.usd;
    schedules += runs * perRun;
    scheduleBasis.push(`${s.name} every ${s.everyMinutes} min`);
  }
  add('schedules', schedules, scheduleBasis.join(', ') || 'none');
  if (counts.wafWebAcls) {
    const requests = dossiers * input.apiRequestsPerDossier * 3; // pages and lookups beside the API calls
    add(
      'WAF in front of the public routes',
      counts.wafWebAcls * PRICES.wafWebAclMonth.usd +
        counts.wafRules * PRICES.wafRuleMonth.usd +
        requests * PRICES.wafRequest.usd,
      `${counts.wafWebAcls} web ACL, ${counts.wafRules} rules, ~${requests} requests`,
    );
  }
  const tableGb = (dossiers * RETENTION_MONTHS * DOSSIER_TABLE_BYTES) / GB;
  add(
    'DynamoDB storage',
    tableGb * PRICES.dynamoStorageGbMonth.usd,
    `${round(tableGb, 2)} GB after ${RETENTION_MONTHS} months`,
  );
  const scanGb = (dossiers * RETENTION_MONTHS * DOSSIER_SCAN_BYTES) / GB;
  add(
    'S3 storage (scans, results)',
    scanGb * PRICES.s3StorageGbMonth.usd,
    `${round(scanGb, 1)} GB after ${RETENTION_MONTHS} months`,
  );

  const monthUSD = lines.reduce((s, l) => s + l.monthUSD, 0);
  return {
    wards,
    dossiersPerMonth: dossiers,
    monthUSD: round(monthUSD, 2),
    perWardMonthUSD: round(monthUSD / wards, 3),
    lines,
  };
}

/** Counts the billed fixed resources of CloudFormation templates (their `Resources` sections). */
export function countTemplates(
  templates: readonly { readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }[],
  schedules: TemplateCounts['schedules'],
): TemplateCounts {
  const resources = templates.flatMap((t) => Object.values(t.Resources ?? {}));
  const of = (type: string) => resources.filter((r) => r.Type === type);
  // The kiosks' device-token authorizer is not a sign-in of citizens: leave it out.
  const authorizers = of('AWS::ApiGatewayV2::Authorizer').filter(
    (a) => !JSON.stringify(a.Properties ?? {}).includes(DEVICE_TOKEN_AUDIENCE),
  );
  const anyCognito = authorizers.some((a) => JSON.stringify(a.Properties ?? {}).includes('cognito-idp'));
  const anyDirect = authorizers.some((a) => !JSON.stringify(a.Properties ?? {}).includes('cognito-idp'));
  const acls = of('AWS::WAFv2::WebACL');
  return {
    alarms: of('AWS::CloudWatch::Alarm').length,
    kmsKeys: of('AWS::KMS::Key').length,
    secrets: of('AWS::SecretsManager::Secret').length,
    polledQueues: of('AWS::Lambda::EventSourceMapping').filter((m) =>
      JSON.stringify(m.Properties?.EventSourceArn ?? '').includes('Queue'),
    ).length,
    schedules,
    wafWebAcls: acls.length,
    wafRules: acls.reduce((n, a) => n + ((a.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0),
    citizenSignIn: anyDirect || !anyCognito ? 'direct-jwt' : 'cognito-federation',
  };
}
