/**
 * The sandbox gateway pages of the local runtime: `GET /local/sandbox/{vnpay,momo}?orderId=` shows
 * the order as the gateway's pay page would, and its form posts the citizen's choice to
 * `/local/sandbox/{gateway}/pay`, which signs the gateway's callback with the local merchant
 * settings (the environment) and delivers it to our own IPN route over HTTP, exactly as VNPay or
 * MoMo would, then shows what the IPN answered.
 */

import * as z from 'zod';
import { paymentDeps } from '#functions/adapters/dynamo-payments.ts';
import { callbackBaseUrl, publicBaseUrl } from '#functions/lib/config.ts';
import type { HttpResult, RouteMap } from '#functions/lib/http.ts';
import { merchantOf } from '#shared/payments/merchants.ts';
import { type MomoConfig, signMomoIpn } from '#shared/payments/momo.ts';
import { formatVnpDate, sanitizeVnpOrderInfo, vnpSign, vnpSignData } from '#shared/payments/vnpay.ts';
import {
  PAYMENT_GATEWAYS,
  type PaymentGateway,
  type PaymentRecord,
  type PaymentStatus,
} from '#shared/use-cases/payments/model.ts';
import type { RouteKeyOf } from '#wiring/manifest.ts';
import { sandboxDvcqgRoutes } from './sandbox-dvcqg.ts';
import { escapeHtml, formatVnd, sandboxPage } from './sandbox-page.ts';

const NAMES: Record<PaymentGateway, string> = { vnpay: 'VNPay', momo: 'MoMo' };
const STATUS_VI: Record<PaymentStatus, string> = {
  pending: 'đang chờ thanh toán',
  confirmed: 'đã thanh toán',
  failed: 'không thành công',
  expired: 'đã hết hạn',
  duplicate: 'đã thanh toán trùng (cần hoàn tiền)',
};
const ORDER_ID = /^[A-Za-z0-9._-]{1,100}$/;

const paySchema = z.object({
  orderId: z.string().regex(ORDER_ID),
  outcome: z.enum(['success', 'cancel']),
});

const isGateway = (v: string | undefined): v is PaymentGateway =>
  (PAYMENT_GATEWAYS as readonly string[]).includes(v ?? '');

function html(status: number, body: string): HttpResult {
  return { status, raw: body, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
}

/** A short page in the sandbox's look: a title and a few lines (already escaped where needed). */
function notice(status: number, title: string, lines: readonly string[]): HttpResult {
  return html(
    status,
    `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem;
    box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  p { margin: .5rem 0; overflow-wrap: anywhere; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(title)}</h1>
  ${lines.map((l) => `<p>${l}</p>`).join('\n  ')}
</main>
</body>
</html>
`,
  );
}

const notFound = (what: string) =>
  notice(404, 'Không tìm thấy', [`${escapeHtml(what)} không tồn tại trong cổng thanh toán thử nghiệm.`]);

/** Why the sandbox, like the real gateway, will not take this order; undefined when it can be paid. */
function refusal(p: PaymentRecord, now: Date): HttpResult | undefined {
  const id = escapeHtml(p.orderId);
  if (p.status === 'pending' && now.getTime() < Date.parse(p.expiresAt)) return undefined;
  if (p.status === 'pending' || p.status === 'expired') {
    return notice(410, 'Giao dịch đã hết hạn', [
      `Giao dịch ${id} đã quá thời hạn thanh toán. Vui lòng tạo giao dịch mới.`,
    ]);
  }
  return notice(409, 'Giao dịch đã được xử lý', [`Giao dịch ${id} đã được xử lý trước đó, không thể thanh toán lại.`]);
}

async function order(gateway: PaymentGateway, orderId: string): Promise<PaymentRecord | undefined> {
  const p = await paymentDeps().payments.get(orderId);
  return p?.gateway === gateway ? p : undefined;
}

/** Calls our VNPay IPN route as VNPay would (GET, signed query); returns its JSON reply as text. */
async function deliverVnpay(p: PaymentRecord, success: boolean, now: Date): Promise<string> {
  const cfg = merchantOf(await paymentDeps().gateways.merchants(), p.ward, 'vnpay');
  if (!cfg) throw new Error(`no VNPay merchant for ward ${p.ward}`);
  const transactionNo = String(14_000_000 + Math.floor(Math.random() * 1e6));
  const fields: Record<string, string> = {
    vnp_Amount: String(p.amount * 100),
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: `VNP${transactionNo}`,
    vnp_CardType: 'ATM',
    vnp_OrderInfo: sanitizeVnpOrderInfo(`Thanh toan phi ho so ${p.dossierCode}`),
    vnp_PayDate: formatVnpDate(now),
    // 24: the customer cancelled (VNPay's code); its transaction status is then 02.
    vnp_ResponseCode: success ? '00' : '24',
    vnp_TmnCode: cfg.tmnCode,
    vnp_TransactionNo: transactionNo,
    vnp_TransactionStatus: success ? '00' : '02',
    vnp_TxnRef: p.orderId,
  };
  const query = `${vnpSignData(fields)}&vnp_SecureHash=${vnpSign(fields, cfg.hashSecret)}`;
  const r = await fetch(`${callbackBaseUrl()}/v1/payments/vnpay/ipn?${query}`, { signal: AbortSignal.timeout(15_000) });
  const reply = (await r.json().catch(() => undefined)) as { RspCode?: unknown; Message?: unknown } | undefined;
  return `HTTP ${r.status}, RspCode ${String(reply?.RspCode)} (${String(reply?.Message)})`;
}

/** Posts MoMo's IPN to our route as MoMo would (JSON, signed); returns the HTTP status as text. */
async function deliverMomo(p: PaymentRecord, success: boolean): Promise<string> {
  const cfg: MomoConfig | undefined = merchantOf(await paymentDeps().gateways.merchants(), p.ward, 'momo');
  if (!cfg) throw new Error(`no MoMo merchant for ward ${p.ward}`);
  const body = signMomoIpn(
    {
      orderId: p.orderId,
      requestId: p.requestId ?? p.orderId,
      amount: p.amount,
      // 1006: the customer refused the payment (MoMo's code).
      resultCode: success ? 0 : 1006,
      orderInfo: sanitizeVnpOrderInfo(`Thanh toan phi ho so ${p.dossierCode}`),
    },
    cfg,
  );
  const r = await fetch(`${callbackBaseUrl()}/v1/payments/momo/ipn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  await r.arrayBuffer();
  return `HTTP ${r.status}`;
}

export function sandboxRoutes(): RouteMap<Extract<RouteKeyOf<'local'>, `${string} /local/sandbox/${string}`>> {
  return {
    ...sandboxDvcqgRoutes(),
    'GET /local/sandbox/{gateway}': async ({ params, query }) => {
      const gateway = params.gateway;
      if (!isGateway(gateway)) return notFound(`Cổng thanh toán "${gateway ?? ''}"`);
      const action = `/local/sandbox/${gateway}/pay`;
      const orderId = query.orderId;
      if (!orderId) return html(200, sandboxPage({ gateway, action }));
      const p = ORDER_ID.test(orderId) ? await order(gateway, orderId) : undefined;
      if (!p) return notFound(`Giao dịch "${orderId}"`);
      const refused = refusal(p, paymentDeps().clock.now());
      if (refused) return refused;
      return html(
        200,
        sandboxPage({
          gateway,
          action,
          order: { orderId: p.orderId, amountVnd: p.amount, orderInfo: `Phí, lệ phí hồ sơ ${p.dossierCode}` },
        }),
      );
    },
    'POST /local/sandbox/{gateway}/pay': {
      options: { body: 'form' },
      handler: async ({ params, body }) => {
        const gateway = params.gateway;
        if (!isGateway(gateway)) return notFound(`Cổng thanh toán "${gateway ?? ''}"`);
        const form = paySchema.safeParse(body);
        if (!form.success) {
          return notice(400, 'Yêu cầu không hợp lệ', [
            'Cần mã giao dịch (orderId) và kết quả (outcome=success|cancel).',
          ]);
        }
        const p = await order(gateway, form.data.orderId);
        if (!p) return notFound(`Giao dịch "${form.data.orderId}"`);
        const now = paymentDeps().clock.now();
        const refused = refusal(p, now);
        if (refused) return refused;
        const success = form.data.outcome === 'success';
        let reply: string;
        try {
          reply = gateway === 'vnpay' ? await deliverVnpay(p, success, now) : await deliverMomo(p, success);
        } catch (e) {
          return notice(502, 'Không gửi được kết quả', [
            `Cổng thử nghiệm không gọi được địa chỉ IPN tại ${escapeHtml(publicBaseUrl())}: ${escapeHtml(String(e))}`,
          ]);
        }
        const after = await paymentDeps().payments.get(p.orderId);
        const lines = [
          `Giao dịch ${escapeHtml(p.orderId)}: ${escapeHtml(formatVnd(p.amount))} cho hồ sơ ${escapeHtml(p.dossierCode)}.`,
          `Phản hồi IPN của hệ thống: ${escapeHtml(reply)}.`,
          `Trạng thái giao dịch hiện tại: ${after ? STATUS_VI[after.status] : 'không rõ'}.`,
          ...(p.returnUrl ? [`<a href="${escapeHtml(p.returnUrl)}">Quay lại trang dịch vụ công</a>`] : []),
        ];
        return notice(
          200,
          success ? `Thanh toán ${NAMES[gateway]} thành công` : `Đã hủy giao dịch ${NAMES[gateway]}`,
          lines,
        );
      },
    },
  };
}
