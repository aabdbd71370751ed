/**
 * The outbox relay: the table's stream brings each item that carries events, written in a state
 * change's transaction; this publishes the events to the bus, up to ten to a PutEvents call
 * across the records of the batch. At-least-once: from the first record whose events did not all
 * go, the batch is handed back (partial batch response: Lambda, and the local stream reader,
 * resume at that record), and consumers deduplicate by event id.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type AnyDomainEvent, EVENT_SOURCE } from '#shared/events.ts';
import { busName, events as eventBridge } from './adapters/bus-client.ts';
import { logger } from './lib/powertools.ts';

/** PutEvents takes at most 10 entries and 256 KB a call. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

/** The events an inserted item promises: an outbox item's `event`, a history entry's `events`. */
function promised(record: DynamoDBRecord): AnyDomainEvent[] {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
  const item = unmarshall(record.dynamodb.NewImage as Parameters<typeof unmarshall>[0]);
  if (item.entity === 'outbox') return [item.event as AnyDomainEvent];
  if (item.entity === 'history' && Array.isArray(item.events)) return item.events as AnyDomainEvent[];
  return [];
}

interface Pending {
  /** Index of the record that promised the event. */
  readonly record: number;
  readonly event: AnyDomainEvent;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

function entryOf(event: AnyDomainEvent): PutEventsRequestEntry {
  return {
    EventBusName: busName(),
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurredAt),
    Resources: [`dossier/${event.dossierId}`],
  };
}

/** Consecutive groups within PutEvents' limits (entry size as EventBridge counts it, roughly). */
function calls(pending: readonly Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let cur: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (cur.length && (cur.length === MAX_ENTRIES || bytes + p.bytes > MAX_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(p);
    bytes += p.bytes;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Publishes in record order; returns the index of the first record whose events did not all go. */
async function publish(pending: readonly Pending[]): Promise<number | undefined> {
  for (const call of calls(pending)) {
    let failedAt: number | undefined;
    try {
      const r = await eventBridge().send(new PutEventsCommand({ Entries: call.map((p) => p.entry) }));
      if (r.FailedEntryCount) {
        const results = r.Entries ?? [];
        const failed = call.filter((_, k) => results[k]?.ErrorCode !== undefined || results[k] === undefined);
        failedAt = Math.min(...(failed.length ? failed : call).map((p) => p.record));
        logger.warn('PutEvents refused entries', {
          failed: r.FailedEntryCount,
          errorCode: results.find((e) => e.ErrorCode)?.ErrorCode ?? 'unknown',
        });
      }
    } catch (e) {
      failedAt = Math.min(...call.map((p) => p.record));
      logger.warn('PutEvents failed', { error: e instanceof Error ? e.message : String(e) });
    }
    for (const p of call) {
      if (failedAt !== undefined && p.record >= failedAt) continue;
      logger.info('relayed', {
        eventId: p.event.id,
        type: p.event.type,
        correlationId: p.event.correlationId ?? p.event.dossierId,
      });
    }
    // What follows would be sent again from the failed record on: stop here.
    if (failedAt !== undefined) return failedAt;
  }
  return undefined;
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  const pending = event.Records.flatMap((record, i) =>
    promised(record).map((e) => {
      const entry = entryOf(e);
      return { record: i, event: e, entry, bytes: Buffer.byteLength(JSON.stringify(entry)) };
    }),
  );
  const failedAt = await publish(pending);
  const id = failedAt === undefined ? undefined : event.Records[failedAt]?.dynamodb?.SequenceNumber;
  return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
});
