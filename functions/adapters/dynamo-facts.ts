/** The statistics' fact rows (one per dossier): written idempotently by version, read by ward and period. */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DossierFact } from '#shared/indicators.ts';
import type { FactStore, FactWriter } from '#shared/ports.ts';
import { isConditionFailed, queryIndexItems } from './dynamo-util.ts';
import { keys, stripKeys } from './keys.ts';

/**
 * The statistics' writes, apart from the reads so that the statistics' bundle calls PutItem only
 * (and is granted that alone: test/infra/least-privilege.test.ts).
 */
export class DynamoFactWriter implements FactWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Writes the fact unless a newer version is already there; false when nothing changed. */
  async put(f: DossierFact): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.fact(f), entity: 'fact', ...f },
          ConditionExpression: 'attribute_not_exists(PK) OR version < :v',
          ExpressionAttributeValues: { ':v': f.version },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }
}

export class DynamoFacts implements FactStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Facts of dossiers of a ward received in [fromIso, toIso). */
  async received(ward: string, fromIso: string, toIso: string, procedureId?: string): Promise<DossierFact[]> {
    const pk = keys.wardFacts(ward);
    const items = await queryIndexItems(
      this.db,
      {
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': pk, ':a': fromIso, ':b': toIso },
      },
      (i) => i.GSI1PK === pk && (!procedureId || i.procedureId === procedureId),
    );
    return items.map((i) => stripKeys<DossierFact>(i));
  }
}
