/**
 * The outbox half of a state change's transaction. A status change's events ride on its history
 * entry (one item: the audit record and the outbox at once); a change without a history entry
 * (a scan recorded, a rating, a deadline alarm) writes one outbox item per event. The table's
 * stream brings both to the relay, which publishes `event` / `events` of every INSERT. Both carry
 * `outbox: true`, on which the relay's stream mapping filters (wiring/manifest.ts).
 */
import type { HistoryEntry } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { epochS, keys, OUTBOX_TTL_S } from './keys.ts';

export function outboxPuts(table: string, events: readonly AnyDomainEvent[]) {
  return events.map((event) => ({
    Put: {
      TableName: table,
      Item: { ...keys.outbox(event.id), entity: 'outbox', outbox: true, event, expiresAt: epochS() + OUTBOX_TTL_S },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));
}

/** The immutable history entry (form 06), carrying the events of its change. */
function historyPut(table: string, h: HistoryEntry, events: readonly AnyDomainEvent[] = []) {
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.history(h.dossierId, h.version),
        entity: 'history',
        ...h,
        ...(events.length ? { events, outbox: true } : {}),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** The puts that record a change's history (if any) and promise its events. */
export function changePuts(table: string, history: HistoryEntry | undefined, events: readonly AnyDomainEvent[]) {
  return history ? [historyPut(table, history, events)] : outboxPuts(table, events);
}
