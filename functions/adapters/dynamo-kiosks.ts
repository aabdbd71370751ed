/** KioskRepository on the single table: `KIOSK#clientId`, listed per ward through GSI1 (`WARD#w#KIOSK`). */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { KioskDevice, KioskRepository } from '#shared/use-cases/kiosks.ts';
import { getItems, isConditionFailed } from './dynamo-util.ts';
import { stripKeys } from './keys.ts';

const kioskKeys = {
  kiosk: (clientId: string) => ({ PK: `KIOSK#${clientId}`, SK: 'KIOSK' }),
  byWard: (ward: string, clientId: string) => ({ GSI1PK: `WARD#${ward}#KIOSK`, GSI1SK: clientId }),
};

export class DynamoKioskRepository implements KioskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(k: KioskDevice): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...kioskKeys.kiosk(k.clientId), ...kioskKeys.byWard(k.ward, k.clientId), entity: 'kiosk', ...k },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(clientId: string): Promise<KioskDevice | undefined> {
    if (!/^kiosk-[a-z0-9]{1,60}$/.test(clientId)) return undefined;
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: kioskKeys.kiosk(clientId), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<KioskDevice>(r.Item) : undefined;
  }

  async listByWard(ward: string): Promise<readonly KioskDevice[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': kioskKeys.byWard(ward, '').GSI1PK },
        Limit: 500,
      }),
    );
    return (await getItems(this.db, this.table, r.Items ?? [])).map((i) => stripKeys<KioskDevice>(i));
  }

  async revoke(clientId: string, ward: string, at: string, by: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: kioskKeys.kiosk(clientId),
          UpdateExpression: 'SET #s = :revoked, revokedAt = :at, revokedBy = :by',
          ConditionExpression: 'attribute_exists(PK) AND ward = :ward AND #s = :active',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':revoked': 'revoked',
            ':active': 'active',
            ':ward': ward,
            ':at': at,
            ':by': by,
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }
}
