/**
 * Stateful resources described once, as plain data: the CDK app builds them in the cloud and the
 * local runtime creates them on the local servers from the same definitions. No CDK import here.
 */

/** The single table: generic keys, three sparse GSIs, TTL on `expiresAt`, a NEW_IMAGE stream. */
export const TABLE = {
  logicalName: 'motcua',
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  /** GSI1: a ward's items by time (dossiers of a ward, catalog of a ward, facts, waiting tickets). */
  /** GSI2: a citizen's dossiers by time. */
  /** GSI3: a ward's open dossiers by due moment (due soon / overdue / SLA watch); pending payments. */
  /**
   * The indexes project keys only: a dossier is rewritten at every change, and with ALL each
   * rewrite also rewrote its (1 KB+) copy in every index it sits in, which was more than half of
   * a dossier's write units. With KEYS_ONLY an index is written only when its keys change; readers
   * query the keys and fetch the items with BatchGetItem (reads cost an eighth of writes).
   */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'KEYS_ONLY' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'KEYS_ONLY' },
  ],
} as const;

/** Local names; the cloud lets CloudFormation name them and passes them in the environment. */
export const LOCAL_NAMES = {
  table: 'motcua',
  bucket: 'motcua-scans',
  bus: 'motcua',
} as const;

/** The audience of kiosk device tokens (the device JWT authorizer's). */
export const DEVICE_TOKEN_AUDIENCE = 'motcua-kiosk';

/**
 * The deployment's stage (DESIGN.md §7, CDK context `motcua:stage`): every fixed cloud name carries
 * it, so that `staging` and `prod` fit one account. The local runtime has none.
 */
export const DEFAULT_STAGE = 'prod';
/** Lower-case letters, digits and inner hyphens, 2 to 12 characters (it goes into names of 80 at most). */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/;

/** `motcua-<stage>-<rest>` in the cloud, `motcua-<rest>` locally. */
export const fixedName = (rest: string, stage?: string): string =>
  stage === undefined ? `motcua-${rest}` : `motcua-${stage}-${rest}`;

/** Queue of a consumer function, and its dead-letter queue (also the stream relay's on-failure queue). */
export const queueName = (fn: string, stage?: string): string => fixedName(fn, stage);
export const dlqName = (fn: string, stage?: string): string => fixedName(`${fn}-dlq`, stage);
/** Where EventBridge puts an event it could not deliver to a consumer's queue. */
export const eventsDlqName = (fn: string, stage?: string): string => fixedName(`${fn}-events-dlq`, stage);

/**
 * How long each kind of delivery is retried and where it goes after: one set of numbers that the
 * CDK app writes into the template and the local runtime applies (local/streams.ts).
 */
export const DELIVERY = {
  /**
   * The table stream of the outbox relay: a failing batch is retried from the failed record
   * (halved each time by bisection, in the cloud and in local/streams.ts alike) up to
   * `retryAttempts` times, and never past `maxRecordAgeS`; then its position (shard and sequence
   * numbers; by then the failing record alone) goes to the relay's dead-letter queue, from which
   * `npm run redrive -- <relay>` reads the records again. The stream keeps records 24 hours: the
   * age limit leaves an operator 23 of them to replay.
   */
  stream: { retryAttempts: 10, maxRecordAgeS: 3600, bisectBatchOnError: true },
  /**
   * EventBridge rule targets (the consumers' queues): retried for up to an hour, then the event
   * goes to the consumer's events dead-letter queue (`eventsDlqName`). Locally the bus writes to
   * the queue in the same call as PutEvents: a failure fails the relay's call, which retries.
   */
  ruleTarget: { maximumRetryAttempts: 24, maximumEventAgeS: 3600 },
  /** Schedules: a failed invocation is retried, but never into the next run (see `scheduleRetry`). */
  schedule: { retryAttempts: 2 },
  /**
   * Every dead-letter queue (a consumer's, its events', the stream relay's on-failure one) keeps a
   * message this long for an operator to inspect and redrive it.
   */
  deadLetter: { retentionDays: 14 },
} as const;

/** {@link DELIVERY}.deadLetter's retention in seconds (SQS `MessageRetentionPeriod`). */
export const DEAD_LETTER_RETENTION_S = DELIVERY.deadLetter.retentionDays * 86_400;

/** What fills the context fields of a scheduled event: the scheduler's context in the cloud, the local clock locally. */
interface ScheduleContext {
  readonly id: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  /** The schedule; in the cloud its ARN, which ends in `/<schedule name>`. */
  readonly resource: string;
}

/**
 * The event a schedule hands its function (the `ScheduledEvent` shape of EventBridge Scheduler):
 * the CDK app writes it into each schedule's target input, the local runtime sends it.
 */
export const scheduledEventOf = (c: ScheduleContext) => ({
  version: '0',
  id: c.id,
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: c.account,
  time: c.time,
  region: c.region,
  resources: [c.resource],
  detail: {},
});

/**
 * The retry policy of a schedule that runs every `everyMinutes`: retries stop after half the
 * interval (EventBridge Scheduler's floor is 60 s); a schedule whose interval leaves no room
 * (every minute) is not retried at all: the next run does the work.
 */
export function scheduleRetry(everyMinutes: number): { retryAttempts: number; maxEventAgeS: number } {
  const maxEventAgeS = Math.max(60, Math.floor((everyMinutes * 60) / 2));
  return maxEventAgeS < everyMinutes * 60
    ? { retryAttempts: DELIVERY.schedule.retryAttempts, maxEventAgeS }
    : { retryAttempts: 0, maxEventAgeS: 60 };
}

/** Environment variables every function reads its configuration from (one place per fact). */
export const ENV = {
  table: 'TABLE_NAME',
  bucket: 'BUCKET_NAME',
  bus: 'EVENT_BUS_NAME',
  /** Set only locally: the endpoints of the local servers. */
  dynamoEndpoint: 'MOTCUA_DYNAMODB_ENDPOINT',
  streamsEndpoint: 'MOTCUA_DYNAMODB_STREAMS_ENDPOINT',
  s3Endpoint: 'MOTCUA_S3_ENDPOINT',
  sqsEndpoint: 'MOTCUA_SQS_ENDPOINT',
  eventsEndpoint: 'MOTCUA_EVENTS_ENDPOINT',
  /** Base URL the public links (QR codes, pay pages) point at. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Where payment gateways call back (IPN); the API's endpoint when unset. */
  callbackBaseUrl: 'CALLBACK_BASE_URL',
  /** The HTTP API's own endpoint (set by the CDK app). */
  apiEndpoint: 'API_ENDPOINT',
  /** Optional portal pages the QR codes open instead of the API's JSON (shared/links.ts). */
  procedurePageUrl: 'PROCEDURE_PAGE_URL',
  dossierPageUrl: 'DOSSIER_PAGE_URL',
  /** Gateway settings (DESIGN.md §7); in the cloud, the keys of one Secrets Manager secret. */
  gatewaySecretArn: 'GATEWAY_SECRET_ARN',
  signingKeyId: 'SIGNING_KEY_ID',
  /** The KMS key that signs kiosk device tokens, and their issuer (the API's URL). */
  deviceTokenKeyId: 'DEVICE_TOKEN_KEY_ID',
  deviceTokenIssuer: 'DEVICE_TOKEN_ISSUER',
  /** Set only behind the edge distribution: the secret CloudFront adds to every origin request. */
  edgeOriginSecret: 'EDGE_ORIGIN_SECRET',
  /** The API authorizer's trusted issuers: JSON `TrustedIssuer[]` (shared/token-claims.ts). */
  trustedIssuers: 'MOTCUA_TRUSTED_ISSUERS',
  /** Citizens' notification channels (cloud; each channel is used only when its setting is there). */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  emailFromAddress: 'EMAIL_FROM_ADDRESS',
  zaloTokenSecretArn: 'ZALO_TOKEN_SECRET_ARN',
  /** JSON `{ "<message kind>": "<ZNS template id>" }`. */
  zaloTemplates: 'ZALO_TEMPLATES',
  fontDir: 'MOTCUA_FONT_DIR',
  assetDir: 'MOTCUA_ASSET_DIR',
  local: 'MOTCUA_LOCAL',
} as const;

/**
 * The OpenAPI document's file in the api-docs function's asset folder (ENV.assetDir), written at
 * build time by tools/openapi.ts.
 */
export const OPENAPI_FILE = 'openapi.json';

/** The gateway settings (DESIGN.md §7): the keys of the cloud secret, the local environment's names. */
export { GATEWAY_SETTING_NAMES as GATEWAY_SETTINGS } from '#shared/payments/gateway-config.ts';
