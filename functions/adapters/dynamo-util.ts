/** Reads every page of a DynamoDB query (for bounded result sets: a dossier's history, a period's facts). */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { retry } from '#shared/retry.ts';

type Item = Record<string, unknown>;

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

/** Unprocessed keys of a BatchGetItem: 8 tries, waiting 40 ms then doubling. */
const UNPROCESSED_RETRY = { attempts: 8, delay: (n: number) => 20 * 2 ** (n + 1) } as const;

/**
 * The items behind some keys, aligned with them (undefined where the item is gone): BatchGetItem,
 * 100 keys a call, unprocessed keys retried with backoff. The indexes project keys only
 * (wiring/definitions.ts), so every index reader fetches its items through this or `getItems`.
 */
export async function getItemsAligned(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
  opts: { consistent?: boolean } = {},
): Promise<(Item | undefined)[]> {
  const id = (k: Item) => `${String(k.PK)}\u0000${String(k.SK)}`;
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((k) => [id(k), { PK: k.PK, SK: k.SK }])).values()];
  for (let at = 0; at < unique.length; at += 100) {
    let left: Item[] = unique.slice(at, at + 100);
    // Keys DynamoDB left unprocessed (throttling) are asked again, after a growing wait.
    const unprocessed = new Error('BatchGetItem left keys unprocessed');
    await retry(
      async () => {
        const r = await db.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: left, ConsistentRead: opts.consistent ?? false } } }),
        );
        for (const i of r.Responses?.[table] ?? []) found.set(id(i), i);
        left = (r.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
        if (left.length) throw unprocessed;
      },
      UNPROCESSED_RETRY,
      {
        retryIf: (e) => e === unprocessed,
        exhausted: () => new Error(`BatchGetItem left ${left.length} keys unprocessed`),
      },
    );
  }
  return keys.map((k) => found.get(id(k)));
}

/** The items behind some keys, in the keys' order; keys whose item is gone are left out. */
export async function getItems(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
  opts: { consistent?: boolean } = {},
): Promise<Item[]> {
  return (await getItemsAligned(db, table, keys, opts)).filter((i): i is Item => i !== undefined);
}

/**
 * Every item of a keys-only index query (all pages), fetched from the table, in index order.
 * `still` drops items that left the index (or moved in it) between the two reads.
 */
export async function queryIndexItems(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput & { IndexName: string },
  still?: (item: Item) => boolean,
): Promise<Item[]> {
  const table = input.TableName as string;
  const keys = await queryAll(db, input);
  const items = await getItems(db, table, keys);
  return still ? items.filter(still) : items;
}
