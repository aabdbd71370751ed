/**
 * The events a dossier's state changes really wrote: on its history entries (`events`), or in an
 * outbox item (`OUTBOX#<eventId>`, kept 7 days). A consumer that writes to people (the notifier)
 * takes an event's content from here, never from the queue message alone: a message forged onto
 * its queue with a real dossier id and an attacker's `reason` finds no stored event and is ignored.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnyDomainEvent } from '#shared/events.ts';
import { getItems, queryAll } from './dynamo-util.ts';
import { keys } from './keys.ts';

export class StoredEvents {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The stored copies of some events of dossier `dossierId`, by event id (an id with none written
   * is absent). One consistent Query of the dossier's history, where a status change's events
   * ride, then one BatchGetItem of the outbox items for the events it did not hold.
   */
  async findAll(dossierId: string, eventIds: readonly string[]): Promise<Map<string, AnyDomainEvent>> {
    const wanted = new Set(eventIds);
    const out = new Map<string, AnyDomainEvent>();
    if (!wanted.size) return out;
    const history = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': keys.dossierPk(dossierId), ':h': keys.historyPrefix },
      ConsistentRead: true,
    });
    for (const item of history) {
      const events = Array.isArray(item.events) ? (item.events as AnyDomainEvent[]) : [];
      for (const e of events) if (wanted.has(e.id) && e.dossierId === dossierId) out.set(e.id, e);
    }
    const rest = [...wanted].filter((id) => !out.has(id));
    if (!rest.length) return out;
    const items = await getItems(
      this.db,
      this.table,
      rest.map((id) => keys.outbox(id)),
      { consistent: true },
    );
    for (const item of items) {
      const e = item.event as AnyDomainEvent | undefined;
      if (e && wanted.has(e.id) && e.dossierId === dossierId) out.set(e.id, e);
    }
    return out;
  }
}
