import { type Payment, STATUS } from '../../dossier.ts';
import { ConflictError, PaymentStateChangedError } from '../../errors.ts';
import { newEvent } from '../../events.ts';
import { type ReceiptIssue, receiptDraft } from '../../receipts/receipts.ts';
import { fullJitter, retry } from '../../retry.ts';
import { planMove } from '../dossiers.ts';
import {
  feeRound,
  GATEWAY_NAMES,
  isOpen,
  type PaymentDeps,
  type PaymentGateway,
  type PaymentRecord,
  type SettlementWrite,
} from './model.ts';

/** A gateway's verified word on one order (an IPN, or the answer to a reconciliation query). */
export interface GatewayResult {
  readonly gateway: PaymentGateway;
  readonly orderId: string;
  /** In đồng, as the gateway reports it. */
  readonly amount: number;
  readonly success: boolean;
  readonly transactionNo?: string;
  /**
   * The wards whose payments the verified merchant may settle (a callback signed with one ward's
   * secret cannot confirm another ward's payment: `not-found`). Absent: the payment's own merchant
   * was asked (reconciliation).
   */
  readonly serves?: ((ward: string) => boolean) | undefined;
}

/**
 * What applying a gateway's result did. `confirmed`: the dossier moved 6 -> 4; `recorded`: paid,
 * but the dossier had already left status 6 (the payment is recorded, nothing moves); `failed`:
 * the payment is marked failed; `duplicate`: paid, but its fee was already paid (refund due);
 * `already-settled`: nothing to do; `not-found` and `wrong-amount` change nothing.
 */
export type SettlementOutcome =
  | 'confirmed'
  | 'recorded'
  | 'failed'
  | 'duplicate'
  | 'already-settled'
  | 'not-found'
  | 'wrong-amount';

/** A settlement that collided (another callback, an official's move): 8 tries, waits of at most 250 ms. */
const SETTLE_RETRY = { attempts: 8, delay: fullJitter(10, 250) } as const;

/**
 * Applies a gateway's verified result exactly once, in the order VNPay prescribes: the order
 * exists (through this gateway), the amount matches, it is still open, then one conditional
 * transaction. A collision (another callback, a dossier moved by an official) re-reads and retries.
 */
export async function applyGatewayResult(
  deps: PaymentDeps,
  r: GatewayResult,
  correlationId?: string,
): Promise<SettlementOutcome> {
  const p = await deps.payments.get(r.orderId);
  if (!p || p.gateway !== r.gateway || (r.serves && !r.serves(p.ward))) return 'not-found';
  if (r.amount !== p.amount) return 'wrong-amount';
  let read: PaymentRecord = p;
  return retry(
    async (n) => {
      if (n > 0) {
        const again = await deps.payments.get(r.orderId);
        if (!again) return 'not-found';
        read = again;
      }
      if (!isOpen(read.status)) return 'already-settled';
      return settleOnce(deps, read, r, correlationId);
    },
    SETTLE_RETRY,
    { retryIf: (e) => e instanceof PaymentStateChangedError || e instanceof ConflictError },
  );
}

async function settleOnce(
  deps: PaymentDeps,
  p: PaymentRecord,
  r: GatewayResult,
  correlationId?: string,
): Promise<SettlementOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const settled = { ...p, settledAt: at, ...(r.transactionNo ? { transactionNo: r.transactionNo } : {}) };
  if (!r.success) {
    await deps.payments.settle(p, { ...settled, status: 'failed' });
    return 'failed';
  }
  const d = await deps.dossiers.get(p.dossierId);
  if (!d) throw new Error(`the dossier of order ${p.orderId} does not exist`);
  const confirmed: PaymentRecord = { ...settled, status: 'confirmed' };
  const paid: Payment = { amount: p.amount, gateway: p.gateway, paidAt: at, online: true };
  const subject = { ward: d.ward, dossierId: d.id, ...(correlationId ? { correlationId } : {}) };
  // Every fee collected gets its receipt, in the transaction that confirms the payment.
  const receipt: ReceiptIssue = {
    draft: receiptDraft(
      d,
      {
        ref: p.orderId,
        amount: p.amount,
        method: p.gateway,
        paidAt: at,
        ...(r.transactionNo ? { transactionNo: r.transactionNo } : {}),
      },
      await deps.wards?.get(d.ward),
    ),
    ...(correlationId ? { correlationId } : {}),
  };
  const paymentConfirmed = () =>
    newEvent('PaymentConfirmed', now, subject, {
      orderId: p.orderId,
      gateway: p.gateway,
      amount: p.amount,
      online: true,
    });

  if (d.status === STATUS.PAYMENT_DUE && feeRound(d) === p.dueSince && d.feeDue === p.amount) {
    const plan = await planMove(
      deps,
      d,
      {
        to: STATUS.PROCESSING,
        expectedVersion: d.version,
        reason: `Đã thanh toán trực tuyến qua ${GATEWAY_NAMES[p.gateway]} (mã giao dịch ${p.orderId}).`,
        payment: paid,
      },
      { actor: 'system', by: p.gateway, correlationId },
    );
    // The plan is committed with the payment's settlement and its receipt, in one transaction.
    await deps.payments.settle(p, confirmed, {
      dossier: { next: plan.next, expectedVersion: plan.expectedVersion },
      history: plan.history,
      events: [...plan.events, paymentConfirmed()],
      receipt,
    });
    return 'confirmed';
  }
  if (d.payment && Date.parse(d.payment.paidAt) >= Date.parse(p.dueSince)) {
    await deps.payments.settle(p, { ...settled, status: 'duplicate' });
    return 'duplicate';
  }
  // The dossier left status 6 without this payment (a leader 6 -> 9, a receiver took cash...):
  // record the payment on it, move nothing. At status 6 again it is waiting for a later fee, which
  // this payment does not settle: then only the payment itself is recorded.
  const write: SettlementWrite =
    d.status === STATUS.PAYMENT_DUE
      ? { events: [paymentConfirmed()], receipt }
      : {
          dossier: { next: { ...d, payment: paid, version: d.version + 1, updatedAt: at }, expectedVersion: d.version },
          events: [paymentConfirmed()],
          receipt,
        };
  await deps.payments.settle(p, confirmed, write);
  return 'recorded';
}
