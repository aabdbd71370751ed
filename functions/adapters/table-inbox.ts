/**
 * A NotificationChannel that records each message in the table, once per event and channel
 * (a conditional put: a redelivered event sends nothing), in the dossier's own partition: the
 * dossier's inbox is one Query, and no key is shared by all wards. The citizen portal shows it;
 * SMS/Zalo/e-mail providers plug in behind the same port. Locally GET /local/notifications lists it.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryResult } from '#shared/notification-delivery.ts';
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

  /** Where the message's delivery stands: undefined before any attempt. */
  async deliveryStatus(n: Notification): Promise<string | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.notification(n.dossierId, n.eventId, n.channel, n.audience),
        ConsistentRead: true,
      }),
    );
    return r.Item?.deliveryStatus as string | undefined;
  }

  /**
   * Records a provider's answer on the message: `sent` (with the provider's id, and locally the
   * preview of what it was sent), `failed` (with the error name and the attempts so far), or
   * `unsent` when the channel is not configured.
   */
  async recordDelivery(n: Notification, r: DeliveryResult | { status: 'unsent'; error: string }): Promise<void> {
    const at = new Date().toISOString();
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.notification(n.dossierId, n.eventId, n.channel, n.audience),
        UpdateExpression:
          'SET deliveryStatus = :s, deliveredAt = :at, providerMessageId = :id, lastError = :e, preview = :p ADD attempts :one',
        ExpressionAttributeValues: {
          ':s': r.status,
          ':at': at,
          ':id': r.status === 'sent' ? (r.providerMessageId ?? null) : null,
          ':e': r.status === 'sent' ? null : r.error,
          ':p': r.status === 'sent' ? (r.preview ?? null) : null,
          ':one': 1,
        },
      }),
    );
  }
}
