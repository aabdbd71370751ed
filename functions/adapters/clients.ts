/**
 * AWS SDK clients, built once per process from configuration. In the cloud the endpoints are
 * AWS's; locally MOTCUA_*_ENDPOINT points them at the embedded servers. Same code either way.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#wiring/definitions.ts';
import { endpoint, once, requiredEnv } from './client-config.ts';

export { events } from './bus-client.ts';
export { requiredEnv } from './client-config.ts';

export const dynamo = /* @__PURE__ */ once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...endpoint(ENV.dynamoEndpoint), maxAttempts: 4 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
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

export const tableName = /* @__PURE__ */ once(() => requiredEnv(ENV.table));
export const bucketName = /* @__PURE__ */ once(() => requiredEnv(ENV.bucket));
