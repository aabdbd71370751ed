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
import { busName, events } from './adapters/clients.ts';
import { logger } from './lib/powertools.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function relay(record: DynamoDBRecord): Promise<void> {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return;
  const item = unmarshall(record.dynamodb.NewImage as Parameters<typeof unmarshall>[0]);
  if (item.entity !== 'outbox') return;
  const event = item.event as AnyDomainEvent;
  const r = await events().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName(),
          Source: EVENT_SOURCE,
          DetailType: event.type,
          Detail: JSON.stringify(event),
          Time: new Date(event.occurredAt),
          Resources: [`dossier/${event.dossierId}`],
        },
      ],
    }),
  );
  if (r.FailedEntryCount) throw new Error(`PutEvents failed: ${r.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
  logger.info('relayed', {
    eventId: event.id,
    type: event.type,
    correlationId: event.correlationId ?? event.dossierId,
  });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event, context) =>
  processPartialResponse(event, relay, processor, { context, throwOnFullBatchFailure: false }),
);
