/**
 * Signed gateway callbacks (IPN): VNPay's GET and MoMo's POST, public routes verified before
 * anything else and answered as each gateway expects whatever happens: VNPay `{RspCode, Message}`
 * with HTTP 200 (99 for anything unexpected, never a 500), MoMo an empty 204.
 *
 * Not built on httpApi: VNPay's hash is checked over the raw query string (API Gateway's decoded
 * parameters lose the encoding that was signed), and a malformed MoMo body must still get its 204.
 */
import middy from '@middy/core';
import { NotFoundError } from '#shared/errors.ts';
import { callbackMerchants } from '#shared/payments/merchants.ts';
import { verifyMomoIpn } from '#shared/payments/momo.ts';
import { parseVnpayQuery, VNPAY_RSP, type VnpayIpnReply, verifyVnpayIpnRaw } from '#shared/payments/vnpay.ts';
import { applyGatewayResult, type GatewayResult, type SettlementOutcome } from '#shared/use-cases/payments/settle.ts';
import { paymentDeps } from './adapters/dynamo-payments.ts';
import { errorResult, type HttpEvent, type HttpResponse, type HttpResult, json, toResponse } from './lib/http.ts';
import { logContext, logger } from './lib/powertools.ts';

/** MoMo's IPN bodies are small; anything larger is not from MoMo. */
const MAX_BODY_BYTES = 16 * 1024;

/** VNPay's reply per outcome: a processed failure is 00 too (the IPN was handled), as VNPay asks. */
const VNPAY_REPLY: Record<SettlementOutcome, VnpayIpnReply> = {
  confirmed: VNPAY_RSP.confirmed,
  recorded: VNPAY_RSP.confirmed,
  failed: VNPAY_RSP.confirmed,
  duplicate: VNPAY_RSP.alreadyConfirmed,
  'already-settled': VNPAY_RSP.alreadyConfirmed,
  'not-found': VNPAY_RSP.orderNotFound,
  'wrong-amount': VNPAY_RSP.invalidAmount,
};

async function settle(result: GatewayResult, correlationId: string): Promise<SettlementOutcome> {
  const outcome = await applyGatewayResult(paymentDeps(), result, correlationId);
  const fields = { gateway: result.gateway, orderId: result.orderId, outcome };
  if (outcome === 'duplicate') logger.warn('paid twice for one fee: refund due', fields);
  else if (outcome === 'not-found' || outcome === 'wrong-amount') logger.warn('callback refused', fields);
  else logger.info('callback applied', fields);
  return outcome;
}

async function vnpayIpn(rawQuery: string, correlationId: string): Promise<VnpayIpnReply> {
  try {
    // The merchant is found by the terminal code the call names, and its ward's secret verifies it.
    const merchants = await paymentDeps().gateways.merchants();
    const candidates = callbackMerchants(merchants, 'vnpay', parseVnpayQuery(rawQuery).vnp_TmnCode ?? '');
    const v = verifyVnpayIpnRaw(
      rawQuery,
      candidates.map((c) => c.merchant),
    );
    if (!v.ok) {
      logger.warn('callback refused', { gateway: 'vnpay', reason: v.reason });
      if (v.reason === 'bad-signature') return VNPAY_RSP.invalidSignature;
      return v.reason === 'invalid-amount' ? VNPAY_RSP.invalidAmount : VNPAY_RSP.unknown;
    }
    const outcome = await settle(
      {
        gateway: 'vnpay',
        orderId: v.txnRef,
        amount: v.amountVnd,
        success: v.success,
        ...(v.transactionNo ? { transactionNo: v.transactionNo } : {}),
        ...(candidates[v.merchant] ? { serves: candidates[v.merchant]?.serves } : {}),
      },
      correlationId,
    );
    return VNPAY_REPLY[outcome];
  } catch (e) {
    logger.error('VNPay callback failed', e instanceof Error ? e : String(e));
    return VNPAY_RSP.unknown;
  }
}

function jsonBody(event: HttpEvent): unknown {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function momoIpn(event: HttpEvent, correlationId: string): Promise<void> {
  try {
    const body = jsonBody(event);
    const partnerCode =
      typeof body === 'object' && body !== null ? (body as { partnerCode?: unknown }).partnerCode : '';
    const candidates = callbackMerchants(
      await paymentDeps().gateways.merchants(),
      'momo',
      typeof partnerCode === 'string' ? partnerCode : '',
    );
    let v: ReturnType<typeof verifyMomoIpn> = { ok: false, reason: 'bad-signature' };
    let serves: ((ward: string) => boolean) | undefined;
    for (const c of candidates) {
      v = verifyMomoIpn(body, c.merchant);
      serves = c.serves;
      if (v.ok || v.reason === 'malformed') break;
    }
    if (!v.ok) {
      logger.warn('callback refused', { gateway: 'momo', reason: v.reason });
      return;
    }
    await settle(
      {
        gateway: 'momo',
        orderId: v.orderId,
        amount: v.amountVnd,
        success: v.success,
        transactionNo: v.transId,
        ...(serves ? { serves } : {}),
      },
      correlationId,
    );
  } catch (e) {
    // MoMo gets its 204 anyway; reconciliation asks MoMo again about a payment left pending.
    logger.error('MoMo callback failed', e instanceof Error ? e : String(e));
  }
}

export const handler = middy<HttpEvent, HttpResponse>()
  .use(logContext())
  .handler(async (event) => {
    const started = Date.now();
    const correlationId = event.headers?.['x-correlation-id']?.slice(0, 100) || event.requestContext.requestId;
    logger.appendKeys({ correlationId, routeKey: event.routeKey });
    let result: HttpResult;
    if (event.routeKey === 'GET /v1/payments/vnpay/ipn') {
      result = json(200, await vnpayIpn(event.rawQueryString ?? '', correlationId));
    } else if (event.routeKey === 'POST /v1/payments/momo/ipn') {
      await momoIpn(event, correlationId);
      result = { status: 204, raw: '' };
    } else {
      result = errorResult(new NotFoundError('Đường dẫn', 'ROUTE_NOT_FOUND'));
    }
    logger.info('request', { status: result.status, ms: Date.now() - started });
    return toResponse(result, correlationId);
  });
