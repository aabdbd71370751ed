/**
 * A NotificationChannel that records each message in the table, once per event and channel
 * (a conditional put: a redelivered event sends nothing), in the dossier's own partition: the
 * dossier's inbox is one Query, and no key is shared by all wards. The citizen portal shows it;
 * SMS/Zalo/e-mail providers plug in behind the same port. Locally GET /local/notifications lists it.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification, NotificationChannel } from '#shared/notifications.ts';
import { isConditionFailed } from './dynamo-util.ts';
import { DEDUP_TTL_S, epochS, keys } from './keys.ts';

export class TableInbox implements NotificationChannel {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async send(n: Notification): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.notification(n.dossierId, n.eventId, n.channel, n.audience),
            entity: 'notification',
            ...n,
            expiresAt: epochS() + DEDUP_TTL_S,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }
}
