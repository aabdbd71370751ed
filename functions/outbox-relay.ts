/**
 * The outbox relay: the table's stream brings each outbox item written in a state change's
 * transaction; this publishes it to the event bus. At-least-once: a failed record is retried
 * (partial batch response), and consumers deduplicate by event id.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type AnyDomainEvent, EVENT_SOURCE } from '#shared/events.ts';
import { busName, events as eventBridge } from './adapters/clients.ts';
import { logger } from './lib/powertools.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The events an inserted item promises: an outbox item's `event`, a history entry's `events`. */
function promised(record: DynamoDBRecord): AnyDomainEvent[] {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
  const item = unmarshall(record.dynamodb.NewImage as Parameters<typeof unmarshall>[0]);
  if (item.entity === 'outbox') return [item.event as AnyDomainEvent];
  if (item.entity === 'history' && Array.isArray(item.events)) return item.events as AnyDomainEvent[];
  return [];
}

async function relay(record: DynamoDBRecord): Promise<void> {
  const events = promised(record);
  if (!events.length) return;
  const r = await eventBridge().send(
    new PutEventsCommand({
      Entries: events.map((event) => ({
        EventBusName: busName(),
        Source: EVENT_SOURCE,
        DetailType: event.type,
        Detail: JSON.stringify(event),
        Time: new Date(event.occurredAt),
        Resources: [`dossier/${event.dossierId}`],
      })),
    }),
  );
  // Any entry failed: the whole record is retried (consumers deduplicate the ones that went).
  if (r.FailedEntryCount)
    throw new Error(`PutEvents failed: ${r.Entries?.find((e) => e.ErrorCode)?.ErrorCode ?? 'unknown'}`);
  for (const event of events) {
    logger.info('relayed', {
      eventId: event.id,
      type: event.type,
      correlationId: event.correlationId ?? event.dossierId,
    });
  }
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event, context) =>
  processPartialResponse(event, relay, processor, { context, throwOnFullBatchFailure: false }),
);
