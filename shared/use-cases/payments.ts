/**
 * Online payment of a dossier's fee (thanh toán trực tuyến nghĩa vụ tài chính) through VNPay or
 * MoMo: start a payment, apply a gateway's verified result exactly once, and reconcile payments
 * whose callback never came. Pure orchestration over ports: the table, the gateway settings and
 * the gateways' server-to-server APIs are injected (functions/adapters implement them).
 *
 * The confirmation is one conditional transaction: the payment leaves `pending`, the dossier moves
 * 6 -> 4 as the `system` actor (the processing clock resumes), the payment is recorded on the
 * dossier, and DossierStatusChanged + PaymentConfirmed go through the outbox. Two callbacks racing
 * for one order: the transaction's condition lets one through; the other re-reads and sees it done.
 */
import * as z from 'zod';
import '../api/zod.ts';
import type { Principal } from '../auth.ts';
import { type Dossier, type HistoryEntry, type Payment, STATUS } from '../dossier.ts';
import {
  ConflictError,
  GatewayOpenError,
  GatewayUnavailableError,
  PaymentStateChangedError,
  UnprocessableError,
} from '../errors.ts';
import { type AnyDomainEvent, newEvent } from '../events.ts';
import { formatDong } from '../pages/format.ts';
import type { GatewayAnswer, GatewayClients, GatewayOrder } from '../payments/gateway-client.ts';
import { type MerchantSettings, merchantOf, returnUrlProblem } from '../payments/merchants.ts';
import type { Page } from '../ports.ts';
import { type ReceiptIssue, receiptDraft } from '../receipts/receipts.ts';
import { fullJitter, retry } from '../retry.ts';
import { publicState } from '../transition.ts';
import { type DossierDeps, planMove, visibleDossier } from './dossiers.ts';

/** The gateways a citizen may pay through. */
export const PAYMENT_GATEWAYS = ['vnpay', 'momo'] as const;
export type PaymentGateway = (typeof PAYMENT_GATEWAYS)[number];

const GATEWAY_NAMES: Record<PaymentGateway, string> = { vnpay: 'VNPay', momo: 'MoMo' };

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

/** The body of `POST /v1/dossiers/{dossierId}/payments`. */
export const startPaymentSchema = z
  .object({
    gateway: z.enum(PAYMENT_GATEWAYS),
    /**
     * Where the gateway sends the citizen back: an https page of a configured front end
     * (FRONTEND_ORIGINS), 422 RETURN_URL_NOT_ALLOWED otherwise; our status lookup when omitted.
     */
    returnUrl: z.string().max(1000).optional(),
  })
  .strict()
  .openapi('StartPayment');
export type StartPaymentInput = z.infer<typeof startPaymentSchema>;

/** Its answer (201), also for a repeated request while the payment is pending. */
export const paymentStartedSchema = z
  .object({
    paymentId: z.string(),
    orderId: z.string().openapi({ example: 'H562701202606090001K7Q2MX' }),
    requestId: z.string().optional(),
    amount: z.number().int().openapi({ description: 'In đồng', example: 30000 }),
    payUrl: z.string(),
    gateway: z.enum(PAYMENT_GATEWAYS),
    status: z.enum(PAYMENT_STATUSES),
    expiresAt: z.string(),
    dossierId: z.string(),
  })
  .openapi('PaymentStarted');

/** The payment as the API shows it to the citizen or the receiver who started it. */
export function paymentView(p: PaymentRecord): z.infer<typeof paymentStartedSchema> {
  return {
    paymentId: p.id,
    orderId: p.orderId,
    ...(p.requestId ? { requestId: p.requestId } : {}),
    amount: p.amount,
    payUrl: p.payUrl,
    gateway: p.gateway,
    status: p.status,
    expiresAt: p.expiresAt,
    dossierId: p.dossierId,
  };
}

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

const ORDER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ORDER_ALPHABET[b % ORDER_ALPHABET.length]).join('');
}

/**
 * A new order id: the dossier code's letters and digits and a random suffix, e.g.
 * `H562701202606090001K7Q2MX`. Letters and digits only, so VNPay and MoMo take it as it is.
 */
export function newOrderId(dossierCode: string): string {
  return `${dossierCode.replace(/[^A-Za-z0-9]/g, '').slice(-30)}${randomToken(6)}`;
}

export interface StartedPayment {
  readonly payment: PaymentRecord;
  /** False when an earlier request's pending payment was returned (idempotent start). */
  readonly created: boolean;
}

/**
 * Starts a payment of the dossier's fee (owner or a receiver of its ward; 404 for anyone else).
 * The dossier must be at status 6 (409 NOT_AWAITING_PAYMENT). While a payment through the same
 * gateway is pending and payable it is returned again; another gateway gets its own payment
 * (whichever confirms first wins). Locally the pay link opens the sandbox page; in the cloud VNPay's
 * is a signed URL and MoMo's comes from its create API (502 GATEWAY_UNAVAILABLE when unreachable).
 */
export async function startPayment(
  deps: PaymentDeps,
  principal: Principal,
  dossierId: string,
  input: StartPaymentInput,
  ctx: { readonly ipAddr: string },
): Promise<StartedPayment> {
  const d = await visibleDossier(deps, principal, dossierId);
  if (d.status !== STATUS.PAYMENT_DUE) {
    throw new ConflictError(
      'NOT_AWAITING_PAYMENT',
      'Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính.',
      publicState(d),
    );
  }
  const amount = d.feeDue;
  if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new UnprocessableError('NO_FEE_DUE', 'Hồ sơ chưa có khoản phí, lệ phí cần nộp.');
  }
  if (input.returnUrl !== undefined) {
    const problem = returnUrlProblem(input.returnUrl, deps.gateways.returnOrigins);
    if (problem) throw new UnprocessableError('RETURN_URL_NOT_ALLOWED', `Địa chỉ quay lại (returnUrl) ${problem}.`);
  }
  if (!merchantOf(await deps.gateways.merchants(), d.ward, input.gateway)) {
    throw new UnprocessableError(
      'GATEWAY_NOT_OFFERED',
      `${(await deps.wards?.get(d.ward))?.name ?? `Đơn vị ${d.ward}`} chưa nhận thanh toán qua ${GATEWAY_NAMES[input.gateway]}; vui lòng chọn cổng khác.`,
    );
  }
  const limits = GATEWAY_AMOUNT_LIMITS[input.gateway];
  if (amount < limits.min || amount > limits.max) {
    throw new UnprocessableError(
      'AMOUNT_NOT_SUPPORTED',
      `Cổng ${GATEWAY_NAMES[input.gateway]} chỉ nhận khoản thanh toán từ ${formatDong(limits.min)} đến ${formatDong(limits.max)}.`,
    );
  }
  const round = feeRound(d) ?? d.updatedAt;
  for (let attempt = 0; attempt < 6; attempt++) {
    const now = deps.clock.now();
    const pending = await deps.payments.pendingOf(d.id, input.gateway);
    if (pending) {
      if (
        pending.dueSince === round &&
        pending.amount === amount &&
        pending.returnUrl === input.returnUrl &&
        now.getTime() < Date.parse(pending.expiresAt)
      ) {
        return { payment: pending, created: false };
      }
      // Its link is dead, it was for an earlier fee, or it returns elsewhere: retire it, open a new one
      // (a retired payment the gateway later reports paid is still believed).
      await settleIfUnchanged(deps.payments, pending, { ...pending, status: 'expired', settledAt: now.toISOString() });
      continue;
    }
    const draft: PaymentRecord = {
      id: crypto.randomUUID(),
      orderId: newOrderId(d.code),
      ...(input.gateway === 'momo' ? { requestId: crypto.randomUUID() } : {}),
      dossierId: d.id,
      dossierCode: d.code,
      ward: d.ward,
      gateway: input.gateway,
      amount,
      status: 'pending',
      dueSince: round,
      payUrl: '',
      ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + PAYMENT_TTL_MINUTES * 60_000).toISOString(),
      createdBy: principal.sub,
    };
    const payment = { ...draft, payUrl: await payUrlOf(deps.gateways, draft, ctx.ipAddr) };
    const written = await deps.payments.create(payment);
    if (written === 'created') return { payment, created: true };
    // pending-exists: a simultaneous request opened one; the next turn returns it.
    // order-taken: the random suffix collided; the next turn draws another.
  }
  throw new ConflictError('BUSY', 'Hệ thống đang bận, vui lòng thử lại.');
}

async function payUrlOf(g: GatewayAccess, p: PaymentRecord, clientIp: string): Promise<string> {
  const merchants = await g.merchants();
  const ctx = {
    returnUrl: p.returnUrl ?? `${g.publicBaseUrl}/v1/lookup/${encodeURIComponent(p.dossierCode)}`,
    ipnUrl: `${g.callbackBaseUrl}/v1/payments/${p.gateway}/ipn`,
    clientIp,
    ttlMinutes: PAYMENT_TTL_MINUTES,
  };
  try {
    if (p.gateway === 'vnpay') {
      const m = merchantOf(merchants, p.ward, 'vnpay');
      if (!m) throw new GatewayOpenError('no VNPay merchant for the ward');
      return await g.clients.vnpay.open(orderOf(p), m, ctx);
    }
    const m = merchantOf(merchants, p.ward, 'momo');
    if (!m) throw new GatewayOpenError('no MoMo merchant for the ward');
    return await g.clients.momo.open(orderOf(p), m, ctx);
  } catch (e) {
    if (e instanceof GatewayOpenError) throw new GatewayUnavailableError(GATEWAY_NAMES[p.gateway], { cause: e });
    throw e;
  }
}

const orderOf = (p: PaymentRecord): GatewayOrder => ({
  orderId: p.orderId,
  ...(p.requestId ? { requestId: p.requestId } : {}),
  gateway: p.gateway,
  amount: p.amount,
  dossierCode: p.dossierCode,
  createdAt: p.createdAt,
});

/** The ward's name for a message (`Phường Bỉm Sơn`), or its id. */

/** Settles unless someone else already did (then their word stands). */
async function settleIfUnchanged(repo: PaymentRepository, read: PaymentRecord, next: PaymentRecord): Promise<boolean> {
  try {
    await repo.settle(read, next);
    return true;
  } catch (e) {
    if (e instanceof PaymentStateChangedError) return false;
    throw e;
  }
}

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
  readonly serves?: (ward: string) => boolean;
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

export type { GatewayAnswer } from '../payments/gateway-client.ts';

/** Asks the payment's gateway, with its ward's merchant, what became of it; `unknown` when it cannot tell. */
export async function queryGateway(g: GatewayAccess, p: PaymentRecord, now: Date): Promise<GatewayAnswer> {
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
