/**
 * The events a dossier's state changes really wrote: on its history entries (`events`), or in an
 * outbox item (`OUTBOX#<eventId>`, kept 7 days). A consumer that writes to people (the notifier)
 * takes an event's content from here, never from the queue message alone: a message forged onto
 * its queue with a real dossier id and an attacker's `reason` finds no stored event and is ignored.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AnyDomainEvent } from '#shared/events.ts';
import { queryAll } from './dynamo-util.ts';
import { keys } from './keys.ts';

export class StoredEvents {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The stored copy of event `eventId` of dossier `dossierId`, or undefined when none was written. */
  async find(dossierId: string, eventId: string): Promise<AnyDomainEvent | undefined> {
    const outbox = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.outbox(eventId), ConsistentRead: true }),
    );
    const fromOutbox = outbox.Item?.event as AnyDomainEvent | undefined;
    if (fromOutbox) return fromOutbox.id === eventId && fromOutbox.dossierId === dossierId ? fromOutbox : undefined;
    const history = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': keys.dossierPk(dossierId), ':h': keys.historyPrefix },
      ConsistentRead: true,
    });
    for (const item of history) {
      const events = Array.isArray(item.events) ? (item.events as AnyDomainEvent[]) : [];
      const found = events.find((e) => e.id === eventId && e.dossierId === dossierId);
      if (found) return found;
    }
    return undefined;
  }
}
