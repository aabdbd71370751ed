/** The outbox half of a transaction: one Put per event, relayed by the table's stream. */
import type { AnyDomainEvent } from '#shared/events.ts';
import { epochS, keys, OUTBOX_TTL_S } from './keys.ts';

export function outboxPuts(table: string, events: readonly AnyDomainEvent[]) {
  return events.map((event) => ({
    Put: {
      TableName: table,
      Item: { ...keys.outbox(event.id), entity: 'outbox', event, expiresAt: epochS() + OUTBOX_TTL_S },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));
}
