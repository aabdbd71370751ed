/** LookupGuard on the single table: one counter item per code and hour, gone a day later (TTL). */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LookupGuard } from '#shared/ports.ts';
import { epochS, keys } from './keys.ts';

export class DynamoLookupGuard implements LookupGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async failures(code: string, hour: string): Promise<number> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.lookupFailures(code, hour), ConsistentRead: true }),
    );
    return typeof r.Item?.n === 'number' ? r.Item.n : 0;
  }

  async recordFailure(code: string, hour: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.lookupFailures(code, hour),
        UpdateExpression: 'ADD n :one SET entity = :e, expiresAt = :exp',
        ExpressionAttributeValues: { ':one': 1, ':e': 'lookup-failures', ':exp': epochS() + 24 * 3600 },
      }),
    );
  }
}
