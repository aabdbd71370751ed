/**
 * Moves the messages of a consumer's dead-letter queue back to its queue (SQS's
 * StartMessageMoveTask does this in the cloud; fauxqs lacks it, so this works everywhere):
 *   npm run redrive -- <function> [--endpoint http://127.0.0.1:PORT] [--dry-run]
 * In the cloud, pass no endpoint and have AWS credentials and AWS_REGION set.
 */
import { parseArgs } from 'node:util';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { functions } from '#functions/manifest.ts';
import { dlqName, queueName } from '#infra/definitions.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { endpoint: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});
const name = positionals[0];
const fn = functions.find((f) => f.name === name && f.queue);
if (!fn) {
  console.error(
    `usage: npm run redrive -- <${functions
      .filter((f) => f.queue)
      .map((f) => f.name)
      .join('|')}> [--endpoint URL]`,
  );
  process.exit(2);
}
const sqs = new SQSClient(values.endpoint ? { endpoint: values.endpoint } : {});
const from = (await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName(fn.name) }))).QueueUrl as string;
const to = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName(fn.name) }))).QueueUrl as string;
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
  `${values['dry-run'] ? 'would move' : 'moved'} ${moved} message(s) from ${dlqName(fn.name)} to ${queueName(fn.name)}`,
);
