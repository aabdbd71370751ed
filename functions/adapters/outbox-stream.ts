/** The reading half of the outbox (functions/adapters/outbox.ts): the events a stream record promises. */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AnyDomainEvent } from '#shared/events.ts';

/** The events an inserted item promises: an outbox item's `event`, a history entry's `events`. */
export function promisedEvents(record: DynamoDBRecord): AnyDomainEvent[] {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
  const item = unmarshall(record.dynamodb.NewImage as Parameters<typeof unmarshall>[0]);
  if (item.entity === 'outbox') return [item.event as AnyDomainEvent];
  if (item.entity === 'history' && Array.isArray(item.events)) return item.events as AnyDomainEvent[];
  return [];
}
