/**
 * Electronic receipts on the single table: numbering inside a confirmation's transaction, and reads.
 *
 * Items (keys.ts):
 * - the counter of a ward's series and year `SEQ#RECEIPT#<ward>#<series>#<year>` with `n`, the last
 *   number issued;
 * - the receipt by id `RECEIPT#<id>` (the PDF and the public verification read it);
 * - the same receipt under its dossier `DOSSIER#<id> / RECEIPT#<paymentRef>`, put with
 *   `attribute_not_exists`: one receipt per payment, whatever happens;
 * - the ReceiptIssued event in the outbox.
 * They join the payment's (or the cash transition's) TransactWriteItems: the counter is read, then
 * set to n+1 on `n = :read` in the same transaction, so a confirmation that fails takes no number
 * and two confirmations never take the same one. A transaction that lost only the counter (another
 * receipt of the series was issued meanwhile) reads it again and retries.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';
import { issueReceipt, type Receipt, type ReceiptIssue, type ReceiptRepository } from '#shared/receipts/receipts.ts';
import { fullJitter, retry } from '#shared/retry.ts';
import { isCancelled, isTxConflict, queryAll } from './dynamo-util.ts';
import { keys, stripKeys } from './keys.ts';
import { outboxPuts } from './outbox.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Lost counter races are retried for 7 s (the callback functions run 10 s), waits of at most 800 ms. */
const NUMBERING_RETRY = { attempts: Number.POSITIVE_INFINITY, maxElapsedMs: 7_000, delay: fullJitter(10, 800, 7) };

/** The items that number and store a receipt: counter first (its index in the cancellation reasons). */
function receiptItems(table: string, r: Receipt, read: number, event: ReturnType<typeof issueReceipt>['event']) {
  const { PK, SK } = keys.receiptSequence(r.ward, r.series, r.year);
  return [
    {
      Update: {
        TableName: table,
        Key: { PK, SK },
        UpdateExpression: 'SET n = :next, entity = :e',
        ConditionExpression: read === 0 ? 'attribute_not_exists(n)' : 'n = :read',
        ExpressionAttributeValues: { ':next': read + 1, ':e': 'receipt-sequence', ...(read ? { ':read': read } : {}) },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...keys.receipt(r.id), entity: 'receipt', ...r },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...keys.dossierReceipt(r.dossierId, r.paymentRef), entity: 'receipt', ...r },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    ...outboxPuts(table, [event]),
  ];
}

/**
 * Sends `items` as one transaction, with the receipt's items when `receipt` is given (numbered
 * gap-free). Errors other than a lost counter race are thrown as DynamoDB threw them, with the
 * caller's items at their indexes in the cancellation reasons.
 */
export async function transactWithReceipt(
  db: DynamoDBDocumentClient,
  table: string,
  items: TransactItems,
  receipt?: ReceiptIssue,
): Promise<void> {
  if (!receipt) {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return;
  }
  const { draft } = receipt;
  const seqKey = keys.receiptSequence(draft.ward, draft.series, draft.year);
  // Full jitter, growing: racing confirmations spread out instead of colliding again.
  await retry(
    async () => {
      const cur = await db.send(new GetCommand({ TableName: table, Key: seqKey, ConsistentRead: true }));
      const read = typeof cur.Item?.n === 'number' ? cur.Item.n : 0;
      const issued = issueReceipt(draft, read + 1, receipt.correlationId);
      await db.send(
        new TransactWriteCommand({
          TransactItems: [...items, ...receiptItems(table, issued.receipt, read, issued.event)],
        }),
      );
    },
    NUMBERING_RETRY,
    {
      retryIf: (e) => {
        const codes = isCancelled(e) ? (e.CancellationReasons ?? []).map((c) => c.Code) : [];
        const callerFailed = codes.slice(0, items.length).some((c) => c === 'ConditionalCheckFailed');
        const counterLost = codes[items.length] === 'ConditionalCheckFailed';
        const busy = isTxConflict(e) || codes.includes('TransactionConflict');
        return !callerFailed && (counterLost || busy);
      },
      exhausted: () => new ConflictError('BUSY', 'Hệ thống đang bận, vui lòng thử lại.'),
    },
  );
}

export class DynamoReceiptRepository implements ReceiptRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listByDossier(dossierId: string): Promise<readonly Receipt[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
      ExpressionAttributeValues: { ':pk': keys.dossierPk(dossierId), ':r': keys.receiptPrefix },
      ConsistentRead: true,
    });
    return items
      .map((i) => stripKeys<Receipt>(i))
      .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number - b.number);
  }

  async get(receiptId: string): Promise<Receipt | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.receipt(receiptId) }));
    return r.Item ? stripKeys<Receipt>(r.Item) : undefined;
  }
}
