/** Reads every page of a DynamoDB query (for bounded result sets: a dossier's history, a period's facts). */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const i of r.Items ?? []) out.push(i);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

/** A conditional write lost: the condition did not hold (a duplicate, a stale version). */
export const isConditionFailed = (e: unknown): boolean =>
  e instanceof Error && e.name === 'ConditionalCheckFailedException';

/** A transaction refused: a condition failed (see its CancellationReasons) or an item was busy. */
export const isCancelled = (e: unknown): e is TransactionCanceledException =>
  e instanceof TransactionCanceledException || (e instanceof Error && e.name === 'TransactionCanceledException');

/** Another transaction held one of the items; the same write may be tried again. */
export const isTxConflict = (e: unknown): boolean => e instanceof Error && e.name === 'TransactionConflictException';
