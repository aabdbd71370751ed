/** Starting an online payment of a dossier's fee: one pending payment per gateway, with its pay link. */
import * as z from 'zod';
import type { Principal } from '../../auth.ts';
import { STATUS } from '../../dossier.ts';
import { ConflictError, GatewayOpenError, GatewayUnavailableError, UnprocessableError } from '../../errors.ts';
import { formatDong } from '../../pages/format.ts';
import { merchantOf, returnUrlProblem } from '../../payments/merchants.ts';
import { publicState } from '../../transition.ts';
import { visibleDossier } from '../dossiers.ts';
import {
  feeRound,
  GATEWAY_AMOUNT_LIMITS,
  GATEWAY_NAMES,
  type GatewayAccess,
  orderOf,
  PAYMENT_GATEWAYS,
  PAYMENT_STATUSES,
  PAYMENT_TTL_MINUTES,
  type PaymentDeps,
  type PaymentRecord,
  settleIfUnchanged,
} from './model.ts';

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
  .meta({ id: 'StartPayment' });
type StartPaymentInput = z.infer<typeof startPaymentSchema>;

/** Its answer (201), also for a repeated request while the payment is pending. */
export const paymentStartedSchema = z
  .object({
    paymentId: z.string(),
    orderId: z.string().meta({ example: 'H562701202606090001K7Q2MX' }),
    requestId: z.string().optional(),
    amount: z.number().int().meta({ description: 'In đồng', example: 30000 }),
    payUrl: z.string(),
    gateway: z.enum(PAYMENT_GATEWAYS),
    status: z.enum(PAYMENT_STATUSES),
    expiresAt: z.string(),
    dossierId: z.string(),
  })
  .meta({ id: 'PaymentStarted' });

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

interface StartedPayment {
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
