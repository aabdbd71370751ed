/**
 * The table's stream, read through the DynamoDB Streams API and handed to a reading function (the
 * outbox relay, the statistics) in the DynamoDBStreamEvent shape of Lambda's event source mapping. The reader keeps its own checkpoint
 * (the last sequence number done per shard): a restart resumes after it, so nothing is skipped and
 * at most the batch in hand when it died is delivered again (consumers deduplicate by event id).
 *
 * A failing record is retried as the cloud mapping retries it (wiring/definitions.ts DELIVERY.stream):
 * the reader resumes at the failed record, and with `bisectBatchOnError` each retry hands over half
 * of the failed part of the batch, down to the failing record alone; after `retryAttempts` retries
 * (or past `maxRecordAgeS`) it gives up, as Lambda does: the position of the batch in hand from the
 * failed record on (by then the record alone) goes to the relay's dead-letter queue in the shape of
 * Lambda's on-failure record (`DDBStreamBatchInfo`), and the reader goes on with the records after
 * it; `npm run redrive -- <function>` replays them.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { matches } from './event-pattern.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

interface Checkpoints {
  load(): Record<string, string>;
  save(v: Record<string, string>): void;
}

export function fileCheckpoints(file: string | undefined): Checkpoints {
  let mem: Record<string, string> = {};
  return {
    load: () => {
      if (file && existsSync(file)) mem = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      return { ...mem };
    },
    save: (v) => {
      mem = { ...v };
      if (file) {
        writeFileSync(`${file}.tmp`, JSON.stringify(v));
        renameSync(`${file}.tmp`, file);
      }
    },
  };
}

interface StreamReaderOptions {
  readonly db: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly table: string;
  readonly region: string;
  readonly batchSize: number;
  readonly checkpoints: Checkpoints;
  readonly handler: () => Promise<StreamHandler>;
  /** The reading function's name, in what the reader logs. @default 'outbox-relay' */
  readonly label?: string;
  readonly idleMs?: number;
  /** Lambda event filtering, as the cloud mapping has it: records matching no pattern are passed over. */
  readonly filters?: readonly Record<string, unknown>[];
  /** The cloud mapping's limits (DELIVERY.stream); without them a failing record is retried forever. */
  readonly retry?: {
    readonly retryAttempts: number;
    readonly maxRecordAgeS: number;
    /** Each retry hands over half of the failed part of the batch (BisectBatchOnFunctionError). */
    readonly bisectBatchOnError?: boolean;
  };
  /** Where the position of records given up on goes (created when first needed, kept `retentionS`). */
  readonly deadLetter?: { readonly sqs: SQSClient; readonly queueName: string; readonly retentionS?: number };
  /** Pause before retrying a failed record. @default 1000 */
  readonly retryDelayMs?: number;
}

/** Lambda's on-failure record of a DynamoDB stream batch (what the cloud mapping sends to its DLQ). */
export interface StreamFailureRecord {
  readonly requestContext: {
    readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    /** Invocations of the function with the failed record (the first and the retries). */
    readonly approximateInvokeCount?: number;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord?: string | undefined;
    readonly approximateArrivalOfLastRecord?: string | undefined;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startStreamReader(o: StreamReaderOptions): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    // Any error (DynamoDB Local restarted, an iterator expired): pause, then start over from the
    // checkpoint. The relay never dies for good; at worst it delivers the batch in hand again.
    while (running) {
      try {
        await readUntilError(o, () => running);
      } catch (e) {
        if (!running) break;
        console.error(`[${o.label ?? 'outbox-relay'}] stream reader restarting:`, e instanceof Error ? e.message : e);
        await sleep(1000);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function readUntilError(o: StreamReaderOptions, running: () => boolean): Promise<void> {
  const desc = await o.db.send(new DescribeTableCommand({ TableName: o.table }));
  const arn = desc.Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${o.table} has no stream`);
  const done = o.checkpoints.load();
  /** Per shard: the record that keeps failing and how many times it failed. */
  const failures = new Map<string, { seq: string; count: number }>();
  /** Per shard: the size of the next batch while a failed one is bisected (the batch size otherwise). */
  const limits = new Map<string, number>();
  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();
  let lastDescribe = 0;
  while (running()) {
    if (Date.now() - lastDescribe > 5000) {
      lastDescribe = Date.now();
      const s = await o.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      for (const shard of s.StreamDescription?.Shards ?? []) {
        const id = shard.ShardId as string;
        if (iterators.has(id) || finished.has(id)) continue;
        const after = done[id];
        const it = await o.streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: id,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        );
        iterators.set(id, it.ShardIterator);
      }
    }
    let any = false;
    for (const [shardId, iterator] of iterators) {
      if (!running()) break;
      if (!iterator) {
        iterators.delete(shardId);
        finished.add(shardId);
        continue;
      }
      const limit = limits.get(shardId) ?? o.batchSize;
      const r = await o.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      const records = r.Records ?? [];
      iterators.set(shardId, r.NextShardIterator);
      if (!records.length) continue;
      any = true;
      const shaped = records.map((x) => lambdaRecord(o, arn, x));
      const wanted = o.filters ? shaped.filter((x) => o.filters?.some((p) => matches(p, x))) : shaped;
      const failedAt = wanted.length ? await deliver(o, wanted) : undefined;
      if (failedAt === undefined) {
        done[shardId] = records.at(-1)?.dynamodb?.SequenceNumber as string;
        o.checkpoints.save(done);
        failures.delete(shardId);
        limits.delete(shardId);
      } else {
        const idx = records.findIndex((x) => x.dynamodb?.SequenceNumber === failedAt);
        const previous = failures.get(shardId);
        const count = previous?.seq === failedAt ? previous.count + 1 : 1;
        failures.set(shardId, { seq: failedAt, count });
        const givenUp = giveUpCondition(o, count, records[idx]);
        if (givenUp) {
          // As Lambda does after the retries: record where the failed records are, and go on.
          const failed = records.slice(Math.max(0, idx));
          await sendToDeadLetter(o, { condition: givenUp, approximateInvokeCount: count }, arn, shardId, failed);
          done[shardId] = records.at(-1)?.dynamodb?.SequenceNumber as string;
          o.checkpoints.save(done);
          failures.delete(shardId);
          limits.delete(shardId);
          console.error(
            `[${o.label ?? 'outbox-relay'}] gave up on ${failed.length} stream record(s) after ${count} attempt(s) (${givenUp}); ` +
              `their position is in the dead-letter queue: npm run redrive -- ${o.label ?? 'outbox-relay'}`,
          );
          continue;
        }
        // Records before the failed one are done; resume at the failed one after a pause, with half
        // of the failed part of the batch when the mapping bisects.
        if (o.retry?.bisectBatchOnError)
          limits.set(shardId, Math.max(1, Math.ceil((records.length - Math.max(0, idx)) / 2)));
        const prev = idx > 0 ? records[idx - 1]?.dynamodb?.SequenceNumber : undefined;
        if (prev) {
          done[shardId] = prev;
          o.checkpoints.save(done);
        }
        await sleep(o.retryDelayMs ?? 1000);
        const it = await o.streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shardId,
            ShardIteratorType: 'AT_SEQUENCE_NUMBER',
            SequenceNumber: failedAt,
          }),
        );
        iterators.set(shardId, it.ShardIterator);
      }
    }
    if (!any) await sleep(o.idleMs ?? 200);
  }
}

/** Why the reader gives up on a record that failed `count` times, or undefined to retry it. */
function giveUpCondition(
  o: StreamReaderOptions,
  count: number,
  record: _Record | undefined,
): StreamFailureRecord['requestContext']['condition'] | undefined {
  if (!o.retry) return undefined;
  const created = record?.dynamodb?.ApproximateCreationDateTime;
  if (created && Date.now() - new Date(created).getTime() > o.retry.maxRecordAgeS * 1000) return 'RecordAgeExceeded';
  return count > o.retry.retryAttempts ? 'RetryAttemptsExhausted' : undefined;
}

async function sendToDeadLetter(
  o: StreamReaderOptions,
  requestContext: StreamFailureRecord['requestContext'],
  streamArn: string,
  shardId: string,
  records: readonly _Record[],
): Promise<void> {
  const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);
  const failure: StreamFailureRecord = {
    requestContext,
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: records[0]?.dynamodb?.SequenceNumber as string,
      endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber as string,
      approximateArrivalOfFirstRecord: iso(records[0]?.dynamodb?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: iso(records.at(-1)?.dynamodb?.ApproximateCreationDateTime),
      batchSize: records.length,
      streamArn,
    },
  };
  if (!o.deadLetter) {
    console.error(
      `[${o.label ?? 'outbox-relay'}] no dead-letter queue: the failure is only logged`,
      JSON.stringify(failure),
    );
    return;
  }
  const { sqs, queueName, retentionS } = o.deadLetter;
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName,
        ...(retentionS ? { Attributes: { MessageRetentionPeriod: String(retentionS) } } : {}),
      }),
    )
  ).QueueUrl as string;
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(failure) }));
}

/** A stream record as Lambda hands it to a function (and as its event filters see it). */
function lambdaRecord(o: Pick<StreamReaderOptions, 'region'>, arn: string, r: _Record) {
  return toLambdaRecord(o.region, arn, r);
}

/** A stream record of the Streams API shaped as Lambda hands it over (also for replays, tools/redrive.ts). */
export function toLambdaRecord(region: string, arn: string, r: _Record) {
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: arn,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
    },
  };
}

/** Calls the relay with one batch; returns the sequence number of the first failed record. */
async function deliver(
  o: StreamReaderOptions,
  records: ReturnType<typeof lambdaRecord>[],
): Promise<string | undefined> {
  const event = { Records: records } as DynamoDBStreamEvent;
  try {
    const handler = await o.handler();
    const res = await handler(event);
    const failed = res?.batchItemFailures?.[0]?.itemIdentifier;
    return failed || undefined;
  } catch (e) {
    console.error(`[${o.label ?? 'outbox-relay'}] batch failed:`, e instanceof Error ? e.message : e);
    return records[0]?.dynamodb?.SequenceNumber;
  }
}
