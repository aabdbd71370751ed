/**
 * Queues and their pollers, as Lambda's SQS event source would run them: batches of up to
 * `batchSize`, partial batch failures honoured (only the failed records come back after the
 * visibility timeout), the DLQ after maxReceiveCount (SQS's own redrive, here fauxqs's).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DEAD_LETTER_RETENTION_S, dlqName, queueName } from '#wiring/definitions.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';
import { lambdaContext } from './gateway.ts';

export interface LocalQueue {
  readonly fn: FunctionSpec;
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

export async function createQueues(sqs: SQSClient, specs: readonly FunctionSpec[]): Promise<Map<string, LocalQueue>> {
  const out = new Map<string, LocalQueue>();
  for (const fn of specs) {
    if (!fn.queue) continue;
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: dlqName(fn.name),
        Attributes: { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_S) },
      }),
    );
    const dlqUrl = dlq.QueueUrl as string;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn as string;
    const q = await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName(fn.name),
        Attributes: {
          VisibilityTimeout: String(fn.queue.visibilityTimeoutS),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: fn.queue.maxReceiveCount }),
        },
      }),
    );
    const url = q.QueueUrl as string;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn as string;
    out.set(fn.name, { fn, url, arn, dlqUrl });
  }
  return out;
}

const receive = (sqs: SQSClient, q: LocalQueue, max: number, waitS: number, signal: AbortSignal) =>
  sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl: q.url,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    )
    .then((r) => r.Messages ?? []);

/** While filling a batch within its window, an empty poll waits this long before the next. */
const REFILL_PAUSE_MS = 200;

/**
 * One batch as Lambda's poller gathers it: a long poll for the first records, then, with a
 * batching window, more polls until the batch is full or the window has passed since the first.
 */
async function gather(sqs: SQSClient, q: LocalQueue, signal: AbortSignal, running: () => boolean): Promise<Message[]> {
  const size = q.fn.queue?.batchSize ?? 10;
  const messages = await receive(sqs, q, size, 1, signal);
  const windowMs = (q.fn.queue?.maxBatchingWindowS ?? 0) * 1000;
  if (!messages.length || !windowMs) return messages;
  const until = Date.now() + windowMs;
  while (messages.length < size && Date.now() < until && running()) {
    const more = await receive(sqs, q, size - messages.length, 0, signal);
    messages.push(...more);
    if (more.length < 10) await new Promise((r) => setTimeout(r, Math.min(REFILL_PAUSE_MS, until - Date.now())));
  }
  return messages;
}

type SqsLambda = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse | undefined>;

interface PollerOptions {
  /**
   * Seconds before a failed record is visible again. Lambda leaves it for the queue's visibility
   * timeout; locally that is shortened so that retries and the DLQ show up in seconds.
   */
  readonly retryDelayS: number;
  readonly region: string;
}

/** Polls one queue until `stop()`; returns a function that stops it and waits for the batch in hand. */
export function startPoller(
  sqs: SQSClient,
  q: LocalQueue,
  load: () => Promise<unknown>,
  opts: PollerOptions,
): { stop(): Promise<void> } {
  let running = true;
  const abort = new AbortController();
  const loop = (async () => {
    while (running) {
      try {
        const messages = await gather(sqs, q, abort.signal, () => running);
        if (!messages.length) continue;
        const event: SQSEvent = {
          Records: messages.map((m) => ({
            messageId: m.MessageId as string,
            receiptHandle: m.ReceiptHandle as string,
            body: m.Body ?? '',
            attributes: {
              ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
              SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
              SenderId: m.Attributes?.SenderId ?? 'local',
              ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: q.arn,
            awsRegion: opts.region,
          })),
        };
        let failed: Set<string>;
        try {
          const mod = (await load()) as { handler: SqsLambda };
          const res = await mod.handler(event, lambdaContext(q.fn.name, q.fn.timeoutS));
          failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (e) {
          // A thrown handler fails the whole batch, as with Lambda.
          console.error(`[${q.fn.name}] batch failed:`, e instanceof Error ? e.message : e);
          failed = new Set(messages.map((m) => m.MessageId as string));
        }
        const done = messages.filter((m) => !failed.has(m.MessageId as string));
        // SQS deletes at most 10 messages a call.
        for (let i = 0; i < done.length; i += 10) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: q.url,
              Entries: done
                .slice(i, i + 10)
                .map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
        }
        for (const m of messages.filter((x) => failed.has(x.MessageId as string))) {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: q.url,
              ReceiptHandle: m.ReceiptHandle as string,
              VisibilityTimeout: Math.min(opts.retryDelayS, q.fn.queue?.visibilityTimeoutS ?? 30),
            }),
          );
        }
      } catch (e) {
        if (!running) break;
        console.error(`[${q.fn.name}] poll error:`, e instanceof Error ? e.message : e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      abort.abort();
      await loop;
    },
  };
}
