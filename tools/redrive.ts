/**
 * Puts dead letters back to work:
 *   npm run redrive -- <function> [--events] [--stage S] [--endpoint URL] [--dry-run]
 * - a queue consumer: moves the messages of its dead-letter queue (`--events`: of its EventBridge
 *   events dead-letter queue, the events the rules could not deliver) back to its queue (SQS's
 *   StartMessageMoveTask does the former in the cloud; fauxqs lacks it, so this works everywhere);
 * - a table stream function (the outbox relay, the statistics): reads the positions in its
 *   dead-letter queue, reads those records again from the table's stream and runs the function's
 *   handler on them here (tools/stream-replay.ts). `--dynamodb-endpoint` (printed by `npm start`)
 *   locally. The relay needs the bus: `--bus <EventBusName output>` in the cloud, `--events-endpoint`
 *   locally; the statistics need the table: `--table <TableName output>` in the cloud.
 * In the cloud, pass `--stage` (the deployment's `motcua:stage`, default prod), no endpoints, and
 * have AWS credentials and AWS_REGION set. Locally pass `--endpoint` (the SQS endpoint).
 */
import { parseArgs } from 'node:util';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from '#local/gateway.ts';
import type { StreamHandler } from '#local/streams.ts';
import { DEFAULT_STAGE, dlqName, ENV, eventsDlqName, LOCAL_NAMES, queueName } from '#wiring/definitions.ts';
import { functions } from '#wiring/manifest.ts';
import { replayStreamFailures } from './stream-replay.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string' },
    'dynamodb-endpoint': { type: 'string' },
    'events-endpoint': { type: 'string' },
    bus: { type: 'string' },
    table: { type: 'string' },
    stage: { type: 'string' },
    events: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
});
const name = positionals[0];
const fn = functions.find((f) => f.name === name && (f.queue || f.tableStream));
if (!fn) {
  console.error(
    `usage: npm run redrive -- <${functions
      .filter((f) => f.queue || f.tableStream)
      .map((f) => f.name)
      .join('|')}> [--events] [--stage S] [--endpoint URL] [--dry-run]`,
  );
  process.exit(2);
}
const local = values.endpoint !== undefined;
// Locally the names carry no stage; in the cloud they carry the deployment's.
const stage = local ? undefined : (values.stage ?? DEFAULT_STAGE);
const region = process.env.AWS_REGION ?? 'ap-southeast-1';
const sqs = new SQSClient(values.endpoint !== undefined ? { endpoint: values.endpoint, region } : {});
const urlOf = async (queue: string) =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl as string;

if (fn.tableStream) {
  if (values.bus) process.env[ENV.bus] = values.bus;
  if (values.table) process.env[ENV.table] = values.table;
  else if (local) process.env[ENV.table] = LOCAL_NAMES.table;
  if (values['dynamodb-endpoint']) process.env[ENV.dynamoEndpoint] = values['dynamodb-endpoint'];
  if (values['events-endpoint']) process.env[ENV.eventsEndpoint] = values['events-endpoint'];
  if (local) process.env[ENV.local] = '1';
  const mod = (await import(`../functions/${fn.name}.ts`)) as {
    handler: (e: DynamoDBStreamEvent, c: unknown) => ReturnType<StreamHandler>;
  };
  const result = await replayStreamFailures({
    sqs,
    streams: new DynamoDBStreamsClient(
      values['dynamodb-endpoint'] ? { endpoint: values['dynamodb-endpoint'], region } : {},
    ),
    dlqUrl: await urlOf(dlqName(fn.name, stage)),
    region,
    batchSize: fn.tableStream.batchSize,
    filters: fn.tableStream.filters,
    handler: (e) => mod.handler(e, lambdaContext(fn.name, fn.timeoutS)),
    dryRun: values['dry-run'],
  });
  console.log(
    `${values['dry-run'] ? 'would replay' : 'replayed'} ${result.records} record(s) of ${result.replayed} ` +
      `failure(s) from ${dlqName(fn.name, stage)}`,
  );
  for (const k of result.kept) console.error(`kept ${k}`);
  process.exit(result.kept.length > 0 ? 1 : 0);
}

const source = values.events ? eventsDlqName(fn.name, stage) : dlqName(fn.name, stage);
const from = await urlOf(source);
const to = await urlOf(queueName(fn.name, stage));
let moved = 0;
for (;;) {
  const r = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: from, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 }),
  );
  const msgs = r.Messages ?? [];
  if (!msgs.length) break;
  if (values['dry-run']) {
    moved += msgs.length;
    break;
  }
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: to,
      Entries: msgs.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
    }),
  );
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: from,
      Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
    }),
  );
  moved += msgs.length;
}
console.log(
  `${values['dry-run'] ? 'would move' : 'moved'} ${moved} message(s) from ${source} to ${queueName(fn.name, stage)}`,
);
