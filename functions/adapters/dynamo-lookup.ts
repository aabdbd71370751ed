/**
 * LookupGuard on the single table: one counter item per code, client and hour, gone a day later
 * (TTL). `take` is one conditional UpdateItem (ADD with `n < limit`): the check and the count are
 * one atomic step, so concurrent guesses cannot get past the limit.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LookupGuard } from '#shared/ports.ts';
import { isConditionFailed } from './dynamo-util.ts';
import { epochS, keys } from './keys.ts';

export class DynamoLookupGuard implements LookupGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async take(client: string, code: string, hour: string, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.lookupAttempts(code, hour, client),
          UpdateExpression: 'ADD n :one SET entity = :e, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':e': 'lookup-attempts',
            ':exp': epochS() + 24 * 3600,
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async giveBack(client: string, code: string, hour: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.lookupAttempts(code, hour, client),
          UpdateExpression: 'ADD n :minus',
          ConditionExpression: 'n > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      )
      .catch((e: unknown) => {
        if (!isConditionFailed(e)) throw e;
      });
  }
}
