/**
 * PaymentRepository on the single table (DynamoDB), and the payment use cases' deps.
 *
 * Items:
 * - the payment: `PK=PAYMENT#<orderId>, SK=PAYMENT`, entity `payment`; while pending it sits in
 *   the sparse GSI3 under `GSI3PK=PAYMENTS#PENDING, GSI3SK=<createdAt>#<orderId>` (reconciliation
 *   reads it oldest first; leaving pending rewrites the item without them). The link's expiry is
 *   stored as `payExpiresAt`: `expiresAt` is the table's TTL attribute, and payments are kept.
 * - the pending marker: `PK=DOSSIER#<id>, SK=PAYMENT#PENDING#<gateway>` with the order id, put with
 *   the pending payment and deleted in the transaction that settles it: at most one pending payment
 *   per dossier and gateway, whatever the concurrency.
 * A settlement is one TransactWriteItems: the payment (conditional on the status it was read in),
 * the marker, the dossier (conditional on its version), its history entry and the outbox events.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, PaymentStateChangedError } from '#shared/errors.ts';
import { momoClient, sandboxClient, vnpayClient } from '#shared/payments/gateway-client.ts';
import { FRONTEND_ORIGINS_SETTING, parseOrigins } from '#shared/payments/merchants.ts';
import type { Page } from '#shared/ports.ts';
import type {
  PaymentDeps,
  PaymentGateway,
  PaymentRecord,
  PaymentRepository,
  SettlementWrite,
} from '#shared/use-cases/payments/model.ts';
import { ENV } from '#wiring/definitions.ts';
import { callbackBaseUrl, publicBaseUrl } from '../lib/config.ts';
import { dossierDeps } from '../lib/deps.ts';
import { dynamo, tableName } from './clients.ts';
import { dossierPut } from './dynamo-dossiers.ts';
import { transactWithReceipt } from './dynamo-receipts.ts';
import { getItems, isCancelled, isTxConflict } from './dynamo-util.ts';
import { gatewayEndpoints, gatewayHttp, gatewaySettings, serverIp } from './gateway-settings.ts';
import { decodeCursor, encodeCursor, keys } from './keys.ts';
import { changePuts } from './outbox.ts';

/** The payment items' keys, from keys.ts. */
export const paymentKeys = {
  payment: keys.payment,
  pendingMarker: (dossierId: string, gateway: PaymentGateway) => keys.pendingPayment(dossierId, gateway),
  pendingIndex: keys.pendingPayments,
} as const;

export function paymentItem(p: PaymentRecord): Record<string, unknown> {
  const { expiresAt, ...rest } = p;
  return {
    ...paymentKeys.payment(p.orderId),
    entity: 'payment',
    ...rest,
    payExpiresAt: expiresAt,
    ...(p.status === 'pending' ? { GSI3PK: paymentKeys.pendingIndex, GSI3SK: `${p.createdAt}#${p.orderId}` } : {}),
  };
}

function fromItem(item: Record<string, unknown>): PaymentRecord {
  const { PK, SK, entity, GSI3PK, GSI3SK, payExpiresAt, ...rest } = item;
  return { ...rest, expiresAt: payExpiresAt } as PaymentRecord;
}

/** The codes of a cancelled transaction's items, in the order they were sent. */
const reasonCodes = (e: TransactionCanceledException): (string | undefined)[] =>
  (e.CancellationReasons ?? []).map((r) => r.Code);

export class DynamoPaymentRepository implements PaymentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(orderId: string): Promise<PaymentRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: paymentKeys.payment(orderId), ConsistentRead: true }),
    );
    return r.Item ? fromItem(r.Item) : undefined;
  }

  async pendingOf(dossierId: string, gateway: PaymentGateway): Promise<PaymentRecord | undefined> {
    const key = paymentKeys.pendingMarker(dossierId, gateway);
    const m = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    const orderId = m.Item?.orderId;
    if (typeof orderId !== 'string') return undefined;
    const p = await this.get(orderId);
    if (p?.status === 'pending') return p;
    // Settlements delete the marker with the payment; should one ever be left behind, drop it.
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: key,
          ConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': orderId },
        }),
      )
      .catch((e: unknown) => {
        if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
      });
    return undefined;
  }

  async create(p: PaymentRecord): Promise<'created' | 'pending-exists' | 'order-taken'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: paymentItem(p), ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...paymentKeys.pendingMarker(p.dossierId, p.gateway),
                  entity: 'payment-pending',
                  orderId: p.orderId,
                  createdAt: p.createdAt,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (e) {
      if (isTxConflict(e)) return 'pending-exists';
      if (!isCancelled(e)) throw e;
      const [payment] = reasonCodes(e);
      return payment === 'ConditionalCheckFailed' ? 'order-taken' : 'pending-exists';
    }
  }

  async settle(read: PaymentRecord, next: PaymentRecord, write?: SettlementWrite): Promise<void> {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.table,
          Item: paymentItem(next),
          ConditionExpression: '#st = :from',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':from': read.status },
        },
      },
    ];
    if (read.status === 'pending' && next.status !== 'pending') {
      items.push({
        Delete: {
          TableName: this.table,
          Key: paymentKeys.pendingMarker(read.dossierId, read.gateway),
          ConditionExpression: 'attribute_not_exists(PK) OR orderId = :o',
          ExpressionAttributeValues: { ':o': read.orderId },
        },
      });
    }
    const dossierAt = write?.dossier ? items.length : -1;
    if (write?.dossier) {
      items.push(dossierPut(this.table, write.dossier.next, write.dossier.expectedVersion));
    }
    items.push(...changePuts(this.table, write?.history, write?.events ?? []));
    try {
      await transactWithReceipt(this.db, this.table, items, write?.receipt);
    } catch (e) {
      if (isTxConflict(e)) throw new ConflictError('TRANSACTION_CONFLICT', 'Giao dịch đang được xử lý; hãy thử lại.');
      if (!isCancelled(e)) throw e;
      const codes = reasonCodes(e);
      if (codes[0] === 'ConditionalCheckFailed') throw new PaymentStateChangedError();
      if (dossierAt >= 0 && codes[dossierAt] === 'ConditionalCheckFailed') {
        throw new ConflictError('STALE_VERSION', 'Hồ sơ đã được người khác cập nhật; hãy tải lại.');
      }
      throw new ConflictError('TRANSACTION_CONFLICT', 'Giao dịch đang được xử lý; hãy thử lại.');
    }
  }

  async listPending(before: string, opts: { limit: number; cursor?: string }): Promise<Page<PaymentRecord>> {
    const start = decodeCursor(opts.cursor, { PK: true, SK: true, GSI3PK: paymentKeys.pendingIndex, GSI3SK: true });
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK < :before',
        ExpressionAttributeValues: { ':pk': paymentKeys.pendingIndex, ':before': before },
        ScanIndexForward: true,
        Limit: opts.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const next = encodeCursor(r.LastEvaluatedKey);
    // Keys only in the index: fetch the payments; one confirmed meanwhile is no longer pending.
    const items = await getItems(this.db, this.table, r.Items ?? []);
    return { items: items.filter((i) => i.status === 'pending').map(fromItem), ...(next ? { next } : {}) };
  }
}

// At start (cold start of every payment function): a production deployment pointed at a sandbox
// host, or an endpoint that is not https, fails here instead of taking a payment.
if (process.env[ENV.local] !== '1') gatewayEndpoints();

let deps: PaymentDeps | undefined;

/** The payment use cases' deps, built once per process: the dossier deps (and their clock) and ours. */
export function paymentDeps(): PaymentDeps {
  const local = process.env[ENV.local] === '1';
  deps ??= {
    ...dossierDeps(),
    payments: new DynamoPaymentRepository(dynamo(), tableName()),
    gateways: {
      merchants: gatewaySettings,
      // The local runtime's sandbox pages play the gateways; nothing leaves the machine.
      clients: local
        ? { vnpay: sandboxClient(publicBaseUrl()), momo: sandboxClient(publicBaseUrl()) }
        : {
            vnpay: vnpayClient(gatewayEndpoints().endpoints.vnpay, gatewayHttp, serverIp()),
            momo: momoClient(gatewayEndpoints().endpoints.momo, gatewayHttp),
          },
      publicBaseUrl: publicBaseUrl(),
      callbackBaseUrl: callbackBaseUrl(),
      returnOrigins: parseOrigins(process.env[FRONTEND_ORIGINS_SETTING]),
    },
  };
  return deps;
}
