/**
 * The outbox relay: the table's stream brings each item that carries events, written in a state
 * change's transaction; this publishes the events to the bus (functions/adapters/event-publisher.ts:
 * up to ten to a PutEvents call across the records of the batch). At-least-once: from the first
 * record whose events did not all go, the batch is handed back (partial batch response: Lambda, and
 * the local stream reader, resume at that record), and consumers deduplicate by event id.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { promisedEvents } from './adapters/outbox-stream.ts';
import { eventPublisher } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  const pending = event.Records.flatMap((record, i) => promisedEvents(record).map((e) => ({ record: i, event: e })));
  const sent = await eventPublisher().publish(pending.map((p) => p.event));
  // The record of the first event that did not go: it and what follows are handed back.
  const failedAt = pending[sent]?.record;
  for (const p of pending) {
    if (failedAt !== undefined && p.record >= failedAt) break;
    logger.info('relayed', {
      eventId: p.event.id,
      type: p.event.type,
      correlationId: p.event.correlationId ?? p.event.dossierId,
    });
  }
  const id = failedAt === undefined ? undefined : event.Records[failedAt]?.dynamodb?.SequenceNumber;
  return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
});
