/**
 * AWS list prices, us-east-1, on-demand, without free tiers. Each price names the page it is
 * listed on, since when it applies (where known) and when it was checked for this benchmark.
 */

export interface Price {
  readonly usd: number;
  /** What `usd` buys. */
  readonly per: string;
  readonly source: string;
  /** Since when the price applies, where the announcement says so. */
  readonly since?: string;
  /** When the price was checked for this file. */
  readonly checked: string;
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
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;
