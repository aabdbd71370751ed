/**
 * AWS SDK clients, built once per process from configuration. In the cloud the endpoints are
 * AWS's; locally MOTCUA_*_ENDPOINT points them at the embedded servers. Same code either way.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#infra/definitions.ts';

/** Reads a required setting once and fails fast with its name. */
export function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`missing configuration: ${name}`);
  return v;
}

const endpoint = (name: string): { endpoint?: string } => {
  const v = process.env[name];
  return v ? { endpoint: v } : {};
};

function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
}

export const dynamo = /* @__PURE__ */ once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...endpoint(ENV.dynamoEndpoint), maxAttempts: 4 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const dynamoStreams = /* @__PURE__ */ once(
  () => new DynamoDBStreamsClient({ ...endpoint(ENV.streamsEndpoint) }),
);

export const s3 = /* @__PURE__ */ once(() => {
  const local = process.env[ENV.s3Endpoint];
  return new S3Client({
    // s3rver knows only the key pair S3RVER/S3RVER (403 InvalidAccessKeyId otherwise, presigned URLs too).
    ...(local
      ? { endpoint: local, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
      : {}),
    // s3rver stores aws-chunked bodies as-is; checksums are computed by the scan checker instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});

export const sqs = /* @__PURE__ */ once(() => new SQSClient({ ...endpoint(ENV.sqsEndpoint) }));

export const events = /* @__PURE__ */ once(() => new EventBridgeClient({ ...endpoint(ENV.eventsEndpoint) }));

export const tableName = /* @__PURE__ */ once(() => requiredEnv(ENV.table));
export const bucketName = /* @__PURE__ */ once(() => requiredEnv(ENV.bucket));
export const busName = /* @__PURE__ */ once(() => requiredEnv(ENV.bus));
