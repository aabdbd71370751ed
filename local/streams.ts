/**
 * The table's stream, read through the DynamoDB Streams API and handed to the outbox relay in the
 * DynamoDBStreamEvent shape of Lambda's event source mapping. The reader keeps its own checkpoint
 * (the last sequence number done per shard): a restart resumes after it, so nothing is skipped and
 * at most the batch in hand when it died is delivered again (consumers deduplicate by event id).
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
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { matches } from './event-pattern.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface Checkpoints {
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

export interface StreamReaderOptions {
  readonly db: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly table: string;
  readonly region: string;
  readonly batchSize: number;
  readonly checkpoints: Checkpoints;
  readonly handler: () => Promise<StreamHandler>;
  readonly idleMs?: number;
  /** Lambda event filtering, as the cloud mapping has it: records matching no pattern are passed over. */
  readonly filters?: readonly Record<string, unknown>[];
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
        console.error('[outbox-relay] stream reader restarting:', e instanceof Error ? e.message : e);
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
      const r = await o.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: o.batchSize }));
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
      } else {
        // Records before the failed one are done; resume at the failed one after a pause.
        const idx = records.findIndex((x) => x.dynamodb?.SequenceNumber === failedAt);
        const prev = idx > 0 ? records[idx - 1]?.dynamodb?.SequenceNumber : undefined;
        if (prev) {
          done[shardId] = prev;
          o.checkpoints.save(done);
        }
        await sleep(1000);
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

/** A stream record as Lambda hands it to a function (and as its event filters see it). */
function lambdaRecord(o: StreamReaderOptions, arn: string, r: _Record) {
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: o.region,
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
    console.error('[outbox-relay] batch failed:', e instanceof Error ? e.message : e);
    return records[0]?.dynamodb?.SequenceNumber;
  }
}
