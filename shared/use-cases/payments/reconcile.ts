import type { GatewayAnswer } from '../../payments/gateway-client.ts';
import { merchantOf } from '../../payments/merchants.ts';
import {
  type GatewayAccess,
  orderOf,
  type PaymentDeps,
  type PaymentRecord,
  RECONCILE_AFTER_MINUTES,
  settleIfUnchanged,
} from './model.ts';
import { applyGatewayResult, type GatewayResult } from './settle.ts';

/** Asks the payment's gateway, with its ward's merchant, what became of it; `unknown` when it cannot tell. */
async function queryGateway(g: GatewayAccess, p: PaymentRecord, now: Date): Promise<GatewayAnswer> {
  const merchants = await g.merchants();
  if (p.gateway === 'vnpay') {
    const m = merchantOf(merchants, p.ward, 'vnpay');
    return m ? g.clients.vnpay.query(orderOf(p), m, now) : { state: 'unknown' };
  }
  const m = merchantOf(merchants, p.ward, 'momo');
  return m ? g.clients.momo.query(orderOf(p), m, now) : { state: 'unknown' };
}

export interface ReconcileSummary {
  readonly checked: number;
  /** Paid: confirmed, or recorded on a dossier that had moved on. */
  readonly confirmed: number;
  /** Paid twice for one fee: marked `duplicate` (refund due). */
  readonly duplicate: number;
  readonly failed: number;
  readonly expired: number;
  readonly unchanged: number;
  /** Payments whose reconciliation threw; they stay pending and are tried again next run. */
  readonly errors: readonly { readonly orderId: string; readonly message: string }[];
}

/**
 * Reconciles payments pending longer than {@link RECONCILE_AFTER_MINUTES}: asks the gateway (in the
 * cloud); a paid answer goes through the same confirmation as a callback, a failed one marks the
 * payment failed; a payment nobody paid is expired once its link is dead. Locally the sandbox is
 * the gateway and delivers every callback at once, so a payment it never saw is simply unpaid.
 */
export async function reconcilePayments(
  deps: PaymentDeps,
  opts: { readonly max?: number; readonly timeLeft?: () => boolean; readonly correlationId?: string } = {},
): Promise<ReconcileSummary> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - RECONCILE_AFTER_MINUTES * 60_000).toISOString();
  const max = opts.max ?? 500;
  const counts = { checked: 0, confirmed: 0, duplicate: 0, failed: 0, expired: 0, unchanged: 0 };
  const errors: { orderId: string; message: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.payments.listPending(before, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const p of page.items) {
      if (counts.checked >= max || opts.timeLeft?.() === false) return { ...counts, errors };
      counts.checked++;
      try {
        counts[await reconcileOne(deps, p, now, opts.correlationId)]++;
      } catch (e) {
        errors.push({ orderId: p.orderId, message: e instanceof Error ? e.message : String(e) });
      }
    }
    cursor = page.next;
  } while (cursor);
  return { ...counts, errors };
}

async function reconcileOne(
  deps: PaymentDeps,
  p: PaymentRecord,
  now: Date,
  correlationId?: string,
): Promise<'confirmed' | 'duplicate' | 'failed' | 'expired' | 'unchanged'> {
  const answer = await queryGateway(deps.gateways, p, now);
  if (answer.state === 'paid' || answer.state === 'failed') {
    const result: GatewayResult = {
      gateway: p.gateway,
      orderId: p.orderId,
      amount: answer.state === 'paid' ? answer.amount : p.amount,
      success: answer.state === 'paid',
      ...(answer.state === 'paid' && answer.transactionNo ? { transactionNo: answer.transactionNo } : {}),
    };
    const outcome = await applyGatewayResult(deps, result, correlationId);
    if (outcome === 'confirmed' || outcome === 'recorded') return 'confirmed';
    if (outcome === 'duplicate' || outcome === 'failed') return outcome;
    if (outcome === 'wrong-amount') throw new Error(`gateway reports another amount for order ${p.orderId}`);
    return 'unchanged';
  }
  if (answer.state === 'unknown' || now.getTime() <= Date.parse(p.expiresAt)) return 'unchanged';
  const expired = await settleIfUnchanged(deps.payments, p, { ...p, status: 'expired', settledAt: now.toISOString() });
  return expired ? 'expired' : 'unchanged';
}
