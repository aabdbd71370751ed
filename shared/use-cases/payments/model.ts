import { type Dossier, type HistoryEntry, STATUS } from '../../dossier.ts';
import { PaymentStateChangedError } from '../../errors.ts';
import type { AnyDomainEvent } from '../../events.ts';
import type { GatewayClients, GatewayOrder } from '../../payments/gateway-client.ts';
import type { MerchantSettings } from '../../payments/merchants.ts';
import type { Page } from '../../ports.ts';
import type { ReceiptIssue } from '../../receipts/receipts.ts';
import type { DossierDeps } from '../dossiers.ts';

/** The gateways a citizen may pay through. */
export const PAYMENT_GATEWAYS = ['vnpay', 'momo'] as const;
export type PaymentGateway = (typeof PAYMENT_GATEWAYS)[number];

export const GATEWAY_NAMES: Record<PaymentGateway, string> = { vnpay: 'VNPay', momo: 'MoMo' };

/**
 * Where a payment stands. `pending`: waiting for the citizen; `confirmed`: paid and recorded;
 * `failed`: the gateway said it did not go through; `expired`: its link timed out (our own
 * bookkeeping: a gateway that later says it was paid is still believed); `duplicate`: paid, but
 * the fee it was for had already been paid (another order, or cash): money to refund.
 */
export const PAYMENT_STATUSES = ['pending', 'confirmed', 'failed', 'expired', 'duplicate'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment of a dossier's fee through one gateway (giao dịch thanh toán). */
export interface PaymentRecord {
  /** Our id of the payment. */
  readonly id: string;
  /** What the gateway sends back (vnp_TxnRef, MoMo's orderId): letters and digits only. */
  readonly orderId: string;
  /** MoMo's requestId of the create call. */
  readonly requestId?: string;
  readonly dossierId: string;
  readonly dossierCode: string;
  readonly ward: string;
  readonly gateway: PaymentGateway;
  /** In đồng: the dossier's `feeDue` when the payment started. */
  readonly amount: number;
  readonly status: PaymentStatus;
  /**
   * When the dossier entered status 6 for the fee this payment settles: tells a late payment of
   * an earlier fee from one of the current fee, and a second payment of one fee from the first.
   */
  readonly dueSince: string;
  readonly payUrl: string;
  readonly returnUrl?: string;
  readonly createdAt: string;
  /** After this the link is dead (the gateway refuses; reconciliation expires it). */
  readonly expiresAt: string;
  readonly createdBy: string;
  /** When it left `pending`. */
  readonly settledAt?: string;
  /** The gateway's transaction number (vnp_TransactionNo, MoMo's transId). */
  readonly transactionNo?: string;
}

/** The dossier half of a settlement, written in the same transaction as the payment. */
export interface SettlementWrite {
  /** The dossier's next state, written only if its stored version is still `expectedVersion`. */
  readonly dossier?: { readonly next: Dossier; readonly expectedVersion: number };
  readonly history?: HistoryEntry;
  readonly events: readonly AnyDomainEvent[];
  /** The electronic receipt of the collected fee, issued (numbered) in the same transaction. */
  readonly receipt?: ReceiptIssue;
}

/** Where payments are kept. The table adapter implements it (functions/adapters/dynamo-payments.ts). */
export interface PaymentRepository {
  /** By the order id a gateway sends back (consistent read). */
  get(orderId: string): Promise<PaymentRecord | undefined>;
  /** The dossier's pending payment through a gateway; there is at most one (see {@link create}). */
  pendingOf(dossierId: string, gateway: PaymentGateway): Promise<PaymentRecord | undefined>;
  /**
   * Writes a new pending payment: `pending-exists` when the dossier already has one through this
   * gateway (written at the same moment by another request), `order-taken` on an order id collision.
   */
  create(p: PaymentRecord): Promise<'created' | 'pending-exists' | 'order-taken'>;
  /**
   * Replaces `read` by `next` if the stored payment is still in `read.status`, together with
   * `write` (dossier, history entry, events) in one transaction. Throws
   * {@link PaymentStateChangedError} when the payment's status moved, ConflictError when the
   * dossier's version did or the transaction collided with another.
   */
  settle(read: PaymentRecord, next: PaymentRecord, write?: SettlementWrite): Promise<void>;
  /** Payments still pending that were created before `before`, oldest first. */
  listPending(before: string, opts: { limit: number; cursor?: string }): Promise<Page<PaymentRecord>>;
}

/** The gateways as the use cases reach them. */
export interface GatewayAccess {
  /** Each ward's merchants (environment locally, Secrets Manager in the cloud). */
  merchants(): Promise<MerchantSettings>;
  /** One client per gateway: the real gateway at its configured endpoints, or the local sandbox. */
  readonly clients: GatewayClients;
  /** Our public base URL (the default return page). */
  readonly publicBaseUrl: string;
  /** Where gateways call back (the IPN routes); the API's endpoint unless configured apart. */
  readonly callbackBaseUrl: string;
  /** Origins of the front ends a gateway may send the citizen back to (https). */
  readonly returnOrigins: readonly string[];
}

export interface PaymentDeps extends DossierDeps {
  readonly payments: PaymentRepository;
  readonly gateways: GatewayAccess;
}

/** Minutes a pay link lives (VNPay's vnp_ExpireDate; MoMo's orders are treated the same). */
export const PAYMENT_TTL_MINUTES = 15;
/** Payments pending longer than this are reconciled with their gateway. */
export const RECONCILE_AFTER_MINUTES = 15;

/**
 * Amounts each gateway accepts, in đồng: MoMo's wallet limits (also enforced by
 * buildMomoCreateRequest) and VNPay's "from 5,000 to under 1 billion" (its pay page's message).
 */
export const GATEWAY_AMOUNT_LIMITS: Readonly<Record<PaymentGateway, { readonly min: number; readonly max: number }>> = {
  vnpay: { min: 5_000, max: 999_999_999 },
  momo: { min: 1_000, max: 50_000_000 },
};

/** `pending` and `expired` payments can still be settled by the gateway's word. */
export const isOpen = (s: PaymentStatus): boolean => s === 'pending' || s === 'expired';

/** When the dossier entered status 6 for its current fee; undefined when it is not at 6. */
export function feeRound(d: Dossier): string | undefined {
  if (d.status !== STATUS.PAYMENT_DUE) return undefined;
  // The clock no longer pauses at 6 by default, so the moment is kept on the dossier itself.
  if (d.feeDueSince) return d.feeDueSince;
  const open = d.pauses.findLast((p) => p.status === STATUS.PAYMENT_DUE && !p.to);
  return open?.from ?? d.updatedAt;
}

export const orderOf = (p: PaymentRecord): GatewayOrder => ({
  orderId: p.orderId,
  ...(p.requestId ? { requestId: p.requestId } : {}),
  gateway: p.gateway,
  amount: p.amount,
  dossierCode: p.dossierCode,
  createdAt: p.createdAt,
});

/** Settles unless someone else already did (then their word stands). */
export async function settleIfUnchanged(
  repo: PaymentRepository,
  read: PaymentRecord,
  next: PaymentRecord,
): Promise<boolean> {
  try {
    await repo.settle(read, next);
    return true;
  } catch (e) {
    if (e instanceof PaymentStateChangedError) return false;
    throw e;
  }
}
