/**
 * Replays the table stream records whose position a stream mapping left in its dead-letter queue
 * (Lambda's on-failure record, `DDBStreamBatchInfo`; the local stream reader writes the same): reads
 * the records again from the stream by shard and sequence numbers, applies the mapping's filters,
 * and hands them to the function's handler in the shape Lambda uses. A message is deleted only when
 * every one of its records went through; otherwise it stays for the next try. The stream keeps
 * records 24 hours: a position older than that finds its records trimmed, and says so.
 */
import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { matches } from '#local/event-pattern.ts';
import { type StreamFailureRecord, type StreamHandler, toLambdaRecord } from '#local/streams.ts';
import type { EventPattern } from '#wiring/manifest.ts';

export interface StreamReplayOptions {
  readonly sqs: SQSClient;
  readonly streams: DynamoDBStreamsClient;
  /** The mapping's dead-letter queue. */
  readonly dlqUrl: string;
  readonly region: string;
  readonly batchSize: number;
  readonly filters?: readonly EventPattern[] | undefined;
  readonly handler: StreamHandler;
  /** Count what would be replayed, change nothing. */
  readonly dryRun?: boolean;
}

export interface StreamReplayResult {
  /** Dead-letter messages whose records all went through (deleted). */
  readonly replayed: number;
  /** Records handed to the handler (after the filters). */
  readonly records: number;
  /** Messages left in the queue, with the reason. */
  readonly kept: readonly string[];
}

const seq = (r: _Record): bigint => BigInt(r.dynamodb?.SequenceNumber ?? '0');

/** The records from `start` to `end` (inclusive) of one shard. */
async function readRange(
  streams: DynamoDBStreamsClient,
  info: StreamFailureRecord['DDBStreamBatchInfo'],
): Promise<_Record[]> {
  const start = BigInt(info.startSequenceNumber);
  const end = BigInt(info.endSequenceNumber);
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({
        StreamArn: info.streamArn,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: info.startSequenceNumber,
      }),
    )
  ).ShardIterator;
  const out: _Record[] = [];
  let empty = 0;
  while (iterator && empty < 5) {
    const r = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const records = r.Records ?? [];
    empty = records.length === 0 ? empty + 1 : 0;
    for (const x of records) {
      if (seq(x) > end) return out;
      if (seq(x) >= start) out.push(x);
    }
    iterator = r.NextShardIterator;
  }
  return out;
}

export async function replayStreamFailures(o: StreamReplayOptions): Promise<StreamReplayResult> {
  let replayed = 0;
  let records = 0;
  const kept: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const r = await o.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: o.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    const messages = (r.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
    if (messages.length === 0) break;
    for (const m of messages) {
      seen.add(m.MessageId ?? '');
      const info = (JSON.parse(m.Body ?? '{}') as Partial<StreamFailureRecord>).DDBStreamBatchInfo;
      if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber || !info.streamArn) {
        kept.push(`${m.MessageId}: not a stream failure record`);
        continue;
      }
      const range = await readRange(o.streams, info);
      if (range[0]?.dynamodb?.SequenceNumber !== info.startSequenceNumber) {
        kept.push(
          `${m.MessageId}: records ${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.shardId} are no ` +
            'longer in the stream (kept 24 hours); replay them from the table (their outbox items) instead',
        );
        continue;
      }
      const shaped = range.map((x) => toLambdaRecord(o.region, info.streamArn, x));
      const wanted = o.filters ? shaped.filter((x) => o.filters?.some((p) => matches(p, x))) : shaped;
      if (o.dryRun) {
        records += wanted.length;
        continue;
      }
      let failed: string | undefined;
      for (let i = 0; i < wanted.length && failed === undefined; i += o.batchSize) {
        const batch = wanted.slice(i, i + o.batchSize);
        try {
          const res = await o.handler({ Records: batch } as DynamoDBStreamEvent);
          failed = res?.batchItemFailures?.[0]?.itemIdentifier || undefined;
        } catch (e) {
          failed = e instanceof Error ? e.message : String(e);
        }
        if (failed === undefined) records += batch.length;
      }
      if (failed !== undefined) {
        kept.push(`${m.MessageId}: the handler failed again (${failed})`);
        continue;
      }
      await o.sqs.send(new DeleteMessageCommand({ QueueUrl: o.dlqUrl, ReceiptHandle: m.ReceiptHandle as string }));
      replayed++;
    }
  }
  return { replayed, records, kept };
}
