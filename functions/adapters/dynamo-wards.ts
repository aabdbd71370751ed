/**
 * WardDirectory on the single table: one item per ward in the `WARDS` partition (a deployment
 * has at most a few hundred wards: one Query lists them), and one item per unit code that says
 * which ward holds it. A container keeps what it read for a minute.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import { NEW_WARD_ID } from '#shared/ids.ts';
import type { WardDirectory } from '#shared/ward-directory.ts';
import type { Ward } from '#shared/wards.ts';
import { isCancelled, isTxConflict, queryAll } from './dynamo-util.ts';
import { keys, stripKeys } from './keys.ts';

/** Wards change rarely: a container keeps one for a minute (a miss is never kept). */
const CACHE_MS = 60_000;

export class DynamoWardDirectory implements WardDirectory {
  private readonly byId = new Map<string, { at: number; ward: Ward }>();
  private all: { at: number; wards: readonly Ward[] } | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Ward | undefined> {
    // Not a ward id (too long for a key, path tricks): no such ward, without asking the table.
    // The ward-id rule itself (shared/ids.ts), not its zod schema: the consumers that read wards bundle no zod.
    if (!NEW_WARD_ID.test(id)) return undefined;
    const hit = this.byId.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.ward;
    const ward = await this.read(id, false);
    if (ward) this.byId.set(id, { at: Date.now(), ward });
    return ward;
  }

  async list(): Promise<readonly Ward[]> {
    if (this.all && Date.now() - this.all.at < CACHE_MS) return this.all.wards;
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.wardsPk },
    });
    const wards = items.map((i) => stripKeys<Ward>(i));
    this.all = { at: Date.now(), wards };
    return wards;
  }

  async put(ward: Ward, expectedVersion?: number): Promise<void> {
    const current = await this.read(ward.id, true);
    const previousCode = current?.unitCode;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.ward(ward.id), entity: 'ward', ...ward },
                ...(expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.unitCode(ward.unitCode), entity: 'unit-code', ward: ward.id },
                ConditionExpression: 'attribute_not_exists(PK) OR ward = :w',
                ExpressionAttributeValues: { ':w': ward.id },
              },
            },
            ...(previousCode && previousCode !== ward.unitCode
              ? [
                  {
                    Delete: {
                      TableName: this.table,
                      Key: keys.unitCode(previousCode),
                      ConditionExpression: 'attribute_not_exists(PK) OR ward = :w',
                      ExpressionAttributeValues: { ':w': ward.id },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (e) {
      if (isCancelled(e)) {
        const reasons = e.CancellationReasons ?? [];
        if (reasons[1]?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError('UNIT_CODE_TAKEN', `Mã đơn vị ${ward.unitCode} đã thuộc phường/xã khác.`);
        }
        throw new ConflictError('STALE_VERSION', 'Phường/xã vừa được người khác cập nhật; hãy tải lại.', {
          id: ward.id,
          version: current?.version,
        });
      }
      if (isTxConflict(e)) throw new ConflictError('BUSY', 'Hệ thống đang bận, vui lòng thử lại.');
      throw e;
    } finally {
      this.byId.delete(ward.id);
      this.all = undefined;
    }
  }

  private async read(id: string, consistent: boolean): Promise<Ward | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.ward(id), ConsistentRead: consistent }),
    );
    return r.Item ? stripKeys<Ward>(r.Item) : undefined;
  }
}
