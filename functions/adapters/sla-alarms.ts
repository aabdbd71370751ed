/** The deadline watch's alarms on the table: a marker item and the alarm's event, in one transaction. */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AnyDomainEvent } from '#shared/events.ts';
import type { SlaAlarm, SlaAlarms } from '#shared/ports.ts';
import { isCancelled } from './dynamo-util.ts';
import { DEDUP_TTL_S, epochS, keys } from './keys.ts';
import { outboxPuts } from './outbox.ts';

export class DynamoSlaAlarms implements SlaAlarms {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async raiseOnce(alarm: SlaAlarm, event: AnyDomainEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.slaAlarm(alarm), entity: 'sla', eventId: event.id, expiresAt: epochS() + DEDUP_TTL_S },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...outboxPuts(this.table, [event]),
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isCancelled(e)) return false;
      throw e;
    }
  }
}
