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
  /** GSI1: a ward's items by time (dossiers of a ward, catalog of a ward). */
  /** GSI2: a citizen's dossiers by time. */
  /** GSI3: a ward's open dossiers by due moment (due soon / overdue / SLA watch). */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  ],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** Local names; the cloud lets CloudFormation name them and passes them in the environment. */
export const LOCAL_NAMES = {
  table: 'motcua',
  bucket: 'motcua-scans',
  bus: 'motcua',
} as const;

/** Queue of a consumer function, and its dead-letter queue. */
export const queueName = (fn: string): string => `motcua-${fn}`;
export const dlqName = (fn: string): string => `motcua-${fn}-dlq`;

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
  /** Gateway settings (DESIGN.md §7); in the cloud, the keys of one Secrets Manager secret. */
  gatewaySecretArn: 'GATEWAY_SECRET_ARN',
  signingKeyId: 'SIGNING_KEY_ID',
  fontDir: 'MOTCUA_FONT_DIR',
  assetDir: 'MOTCUA_ASSET_DIR',
  local: 'MOTCUA_LOCAL',
} as const;

/** The gateway settings (DESIGN.md §7): the keys of the cloud secret, the local environment's names. */
export { GATEWAY_SETTING_NAMES as GATEWAY_SETTINGS } from '#shared/payments/gateway-config.ts';
