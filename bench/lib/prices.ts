/**
 * AWS list prices, us-east-1, on-demand, without free tiers. Each price names the page it is
 * listed on, since when it applies (where known) and when it was checked for this benchmark.
 */

interface Price {
  readonly usd: number;
  /** What `usd` buys. */
  readonly per: string;
  readonly source: string;
  /** Since when the price applies, where the announcement says so. */
  readonly since?: string;
  /** When the price was checked for this file. */
  readonly checked: string;
  /** Units free each month, where the page names a free allowance that this estimate applies. */
  readonly freeMau?: number;
}

const CHECKED = '2026-11-25';

export const PRICES = {
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1e6,
    per: 'write request unit (on-demand; 1 KB standard write, 2 for a transactional one)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    since: '2024-11-01 (on-demand throughput price cut of 50%)',
    checked: CHECKED,
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1e6,
    per: 'read request unit (on-demand; 4 KB strongly consistent, half for eventual, 2 for transactional)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    since: '2024-11-01 (on-demand throughput price cut of 50%)',
    checked: CHECKED,
  },
  s3PutRequest: {
    usd: 0.005 / 1000,
    per: 'S3 Standard PUT, COPY, POST or LIST request',
    source: 'https://aws.amazon.com/s3/pricing/',
    checked: CHECKED,
  },
  s3GetRequest: {
    usd: 0.0004 / 1000,
    per: 'S3 Standard GET, SELECT and all other requests (HEAD included)',
    source: 'https://aws.amazon.com/s3/pricing/',
    checked: CHECKED,
  },
  sqsRequest: {
    usd: 0.4 / 1e6,
    per: 'SQS standard queue request (each 64 KB chunk of a payload is one request)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    checked: CHECKED,
  },
  eventBridgeEvent: {
    usd: 1.0 / 1e6,
    per: 'EventBridge custom event published (each 64 KB chunk of an entry is one event)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    checked: CHECKED,
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'Lambda request (invocation)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    checked: CHECKED,
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'Lambda GB-second on arm64 (first 7.5 billion GB-s a month); INIT billed too since 2025-08-01',
    source: 'https://aws.amazon.com/lambda/pricing/',
    checked: CHECKED,
  },
  apiGatewayHttpRequest: {
    usd: 1.0 / 1e6,
    per: 'API Gateway HTTP API request (first 300 million a month; each 512 KB is one request)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    checked: CHECKED,
  },
  cloudWatchLogsIngestedGB: {
    usd: 0.5,
    per: 'GB of CloudWatch Logs ingested (standard log class)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    checked: CHECKED,
  },
  cloudWatchLogsStorageGbMonth: {
    usd: 0.03,
    per: 'GB-month of CloudWatch Logs stored (compressed)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    checked: CHECKED,
  },
  alarmMonth: {
    usd: 0.1,
    per: 'CloudWatch standard-resolution metric alarm, per month',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    checked: CHECKED,
  },
  kmsKeyMonth: {
    usd: 1,
    per: 'KMS customer-managed key, per month (symmetric or asymmetric)',
    source: 'https://aws.amazon.com/kms/pricing/',
    checked: CHECKED,
  },
  secretMonth: {
    usd: 0.4,
    per: 'Secrets Manager secret, per month',
    source: 'https://aws.amazon.com/secrets-manager/pricing/',
    checked: CHECKED,
  },
  cognitoFederatedMau: {
    usd: 0.015,
    freeMau: 50,
    per: 'Cognito user pool monthly active user signed in through SAML or OIDC federation (Lite and Essentials), past 50 free per account',
    source: 'https://aws.amazon.com/cognito/pricing/',
    since: '2024-11-22 (feature tiers)',
    checked: CHECKED,
  },
  cognitoDirectMau: {
    usd: 0.015,
    freeMau: 10_000,
    per: 'Cognito user pool monthly active user signing in directly (Essentials), past 10,000 free per account',
    source: 'https://aws.amazon.com/cognito/pricing/',
    since: '2024-11-22 (feature tiers)',
    checked: CHECKED,
  },
  cognitoM2mAppClient: {
    usd: 6,
    per: 'Cognito app client using the client-credentials grant (machine to machine), per month',
    source: 'https://aws.amazon.com/cognito/pricing/',
    since: '2024-05-09',
    checked: CHECKED,
  },
  cognitoM2mTokenRequest: {
    usd: 0.00225,
    per: 'Cognito client-credentials token request (first 10 million a month)',
    source: 'https://aws.amazon.com/cognito/pricing/',
    since: '2024-05-09',
    checked: CHECKED,
  },
  schedulerInvocation: {
    usd: 1.0 / 1e6,
    per: 'EventBridge Scheduler invocation (past 14 million free a month, not applied here)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    checked: CHECKED,
  },
  wafWebAclMonth: {
    usd: 5,
    per: 'AWS WAF web ACL, per month',
    source: 'https://aws.amazon.com/waf/pricing/',
    checked: CHECKED,
  },
  wafRuleMonth: {
    usd: 1,
    per: 'AWS WAF rule in a web ACL, per month',
    source: 'https://aws.amazon.com/waf/pricing/',
    checked: CHECKED,
  },
  wafRequest: {
    usd: 0.6 / 1e6,
    per: 'AWS WAF request inspected',
    source: 'https://aws.amazon.com/waf/pricing/',
    checked: CHECKED,
  },
  dynamoStorageGbMonth: {
    usd: 0.25,
    per: 'GB-month of DynamoDB Standard table storage (past 25 GB free, not applied here)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    checked: CHECKED,
  },
  s3StorageGbMonth: {
    usd: 0.023,
    per: 'GB-month of S3 Standard storage (first 50 TB)',
    source: 'https://aws.amazon.com/s3/pricing/',
    checked: CHECKED,
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;
