/**
 * The events a dossier's state changes really wrote: on its history entries (`events`), or in an
 * outbox item (`OUTBOX#<eventId>`, kept 7 days). A consumer that writes to people (the notifier)
 * takes an event's content from here, never from the queue message alone: a message forged onto
 * its queue with a real dossier id and an attacker's `reason` finds no stored event and is ignored.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { getItems, queryAll } from './dynamo-util.ts';
import { keys, stripKeys } from './keys.ts';

/** A dossier as a consumer that writes to people reads it: the stored dossier and the events its history holds. */
interface DossierWithEvents {
  readonly dossier: Dossier | undefined;
  /** The events carried by its history entries, by id. */
  readonly events: ReadonlyMap<string, AnyDomainEvent>;
}

export class StoredEvents {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The dossier and the events of its history in one consistent Query (`keys.dossierThroughHistory`). */
  async dossierWithEvents(dossierId: string): Promise<DossierWithEvents> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      ...keys.dossierThroughHistory(dossierId),
      ConsistentRead: true,
    });
    let dossier: Dossier | undefined;
    const events = new Map<string, AnyDomainEvent>();
    for (const item of items) {
      if (item.SK === keys.dossier(dossierId).SK) dossier = stripKeys<Dossier>(item);
      else if (String(item.SK).startsWith(keys.historyPrefix) && Array.isArray(item.events)) {
        // A status change's events ride on its history entry.
        for (const e of item.events as AnyDomainEvent[]) if (e.dossierId === dossierId) events.set(e.id, e);
      }
    }
    return { dossier, events };
  }

  /**
   * The stored copies of some events of dossier `dossierId`, by event id (an id with none written
   * is absent): from the events of its history (`history`, as {@link dossierWithEvents} read
   * them), then one BatchGetItem of the outbox items for the events the history did not hold.
   */
  async findAll(
    dossierId: string,
    eventIds: readonly string[],
    history: ReadonlyMap<string, AnyDomainEvent>,
  ): Promise<Map<string, AnyDomainEvent>> {
    const wanted = new Set(eventIds);
    const out = new Map<string, AnyDomainEvent>();
    if (!wanted.size) return out;
    for (const id of wanted) {
      const e = history.get(id);
      if (e && e.dossierId === dossierId) out.set(id, e);
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
