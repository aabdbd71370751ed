/**
 * The gateways behind one port each (GatewayClient): open a payment (VNPay: a signed pay URL; MoMo:
 * its create call) and ask what became of one (reconciliation). Adapters: VNPay's and MoMo's
 * servers at the configured endpoints (sandbox or production), and the local runtime's sandbox
 * pages. The use cases hold a client per gateway and never know which kind it is. Pure: the HTTP
 * POST is injected.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GatewayOpenError } from '../errors.ts';
import type { GatewayEndpoints, VnpayMerchant } from './merchants.ts';
import { buildMomoCreateRequest, IPN_FIELD_ORDER, type MomoConfig } from './momo.ts';
import { buildVnpayPayUrl, buildVnpayQueryDr, sanitizeVnpOrderInfo, verifyVnpayQueryDrResponse } from './vnpay.ts';

/** What a client needs to know of a payment. */
export interface GatewayOrder {
  readonly orderId: string;
  /** MoMo's requestId of the create call. */
  readonly requestId?: string;
  readonly gateway: 'vnpay' | 'momo';
  readonly amount: number;
  readonly dossierCode: string;
  readonly createdAt: string;
}

/** Where the citizen goes back to and where the gateway calls back, for one payment. */
interface OpenContext {
  readonly returnUrl: string;
  /** Our IPN route for this gateway (the callback base URL + the route). */
  readonly ipnUrl: string;
  /** The citizen's address (VNPay's vnp_IpAddr of a payment). */
  readonly clientIp: string;
  /** Minutes the link lives. */
  readonly ttlMinutes: number;
}

/** What a gateway says about an order when asked (reconciliation). */
export type GatewayAnswer =
  | { readonly state: 'paid'; readonly amount: number; readonly transactionNo?: string }
  | { readonly state: 'failed' | 'pending' | 'not-found' | 'unknown' };

/** The POST to a gateway's server API (throws when unreachable or too slow). */
export type PostJson = (url: string, body: unknown) => Promise<{ status: number; body: unknown }>;

/** One gateway, for merchants of type `M`. */
export interface GatewayClient<M> {
  /** The link that sends the citizen to pay. Throws GatewayOpenError when the gateway refuses or is unreachable. */
  open(order: GatewayOrder, merchant: M, ctx: OpenContext): Promise<string>;
  /** What the gateway says about the order; `unknown` when it cannot tell (unreachable, unsigned, …). */
  query(order: GatewayOrder, merchant: M, now: Date): Promise<GatewayAnswer>;
}

/** The clients of both gateways. */
export interface GatewayClients {
  readonly vnpay: GatewayClient<VnpayMerchant>;
  readonly momo: GatewayClient<MomoConfig>;
}

/** What the citizen sees at the gateway: ASCII, as VNPay asks, and the same for MoMo. */
const orderInfoOf = (code: string) => sanitizeVnpOrderInfo(`Thanh toan phi ho so ${code}`);

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** VNPay at the configured endpoints; `serverIp` is this server's address for querydr's vnp_IpAddr. */
export function vnpayClient(
  endpoints: GatewayEndpoints['vnpay'],
  post: PostJson,
  serverIp: string,
): GatewayClient<VnpayMerchant> {
  return {
    open: async (o, m, ctx) =>
      buildVnpayPayUrl({
        baseUrl: endpoints.payUrl,
        tmnCode: m.tmnCode,
        hashSecret: m.hashSecret,
        txnRef: o.orderId,
        amountVnd: o.amount,
        orderInfo: orderInfoOf(o.dossierCode),
        returnUrl: ctx.returnUrl,
        ipAddr: ctx.clientIp,
        createdAt: new Date(o.createdAt),
        expiresInMinutes: ctx.ttlMinutes,
      }),
    query: async (o, m, now) => {
      const req = buildVnpayQueryDr({
        ...m,
        requestId: crypto.randomUUID().replace(/-/g, ''),
        txnRef: o.orderId,
        transactionDate: new Date(o.createdAt),
        createdAt: now,
        ipAddr: serverIp,
        orderInfo: `Truy van giao dich ${o.orderId}`,
      });
      let res: { status: number; body: unknown };
      try {
        res = await post(endpoints.apiUrl, req);
      } catch {
        return { state: 'unknown' };
      }
      const v = verifyVnpayQueryDrResponse(res.body, m);
      if (!v.ok || (v.txnRef !== '' && v.txnRef !== o.orderId)) return { state: 'unknown' };
      if (v.responseCode === '91') return { state: 'not-found' };
      if (v.responseCode !== '00') return { state: 'unknown' };
      if (v.transactionStatus === '00' && v.amountVnd !== undefined) {
        return { state: 'paid', amount: v.amountVnd, ...(v.transactionNo ? { transactionNo: v.transactionNo } : {}) };
      }
      if (v.transactionStatus === '01') return { state: 'pending' };
      if (v.transactionStatus === '02') return { state: 'failed' };
      return { state: 'unknown' };
    },
  };
}

/** MoMo result codes of a payment that did not and will not go through. */
const MOMO_FAILED = new Set([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1017, 1026]);
/** MoMo result codes of a payment still in progress. */
const MOMO_IN_PROGRESS = new Set([1000, 7000, 7002, 9000]);

const hmac256 = (secret: string, data: string) => createHmac('sha256', secret).update(data, 'utf8').digest('hex');
const hexEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

/**
 * Whether MoMo signed its answer to a query. MoMo signs `k=v&…` of the answer's fields in
 * alphabetical order with `accessKey` first, HMAC-SHA256 with the secret key (as its IPN); the
 * query answer carries no orderInfo/orderType, so both the IPN's field list and the answer's own
 * are accepted. An answer without a valid signature is not believed.
 */
function verifyMomoQueryAnswer(a: Record<string, unknown>, m: MomoConfig): boolean {
  const sig = typeof a.signature === 'string' ? a.signature : '';
  if (!/^[0-9a-fA-F]{64}$/.test(sig)) return false;
  const str = (k: string) => (a[k] === undefined || a[k] === null ? '' : String(a[k]));
  const lists: readonly (readonly string[])[] = [
    IPN_FIELD_ORDER,
    IPN_FIELD_ORDER.filter((k) => k !== 'orderInfo' && k !== 'orderType'),
  ];
  return lists.some((keys) =>
    hexEqual(sig, hmac256(m.secretKey, [`accessKey=${m.accessKey}`, ...keys.map((k) => `${k}=${str(k)}`)].join('&'))),
  );
}

/** MoMo's v2 API at the configured endpoints. */
export function momoClient(endpoints: GatewayEndpoints['momo'], post: PostJson): GatewayClient<MomoConfig> {
  return {
    open: async (o, m, ctx) => {
      const { body } = buildMomoCreateRequest({
        ...m,
        orderId: o.orderId,
        requestId: o.requestId ?? o.orderId,
        amountVnd: o.amount,
        orderInfo: orderInfoOf(o.dossierCode),
        redirectUrl: ctx.returnUrl,
        ipnUrl: ctx.ipnUrl,
      });
      let res: { status: number; body: unknown };
      try {
        res = await post(endpoints.createUrl, body);
      } catch (e) {
        throw new GatewayOpenError('MoMo create: unreachable', { cause: e });
      }
      const answer = record(res.body);
      const payUrl = answer?.payUrl;
      if (
        res.status !== 200 ||
        Number(answer?.resultCode) !== 0 ||
        typeof payUrl !== 'string' ||
        !/^https:\/\//.test(payUrl)
      ) {
        throw new GatewayOpenError(`MoMo create: HTTP ${res.status}, resultCode ${String(answer?.resultCode)}`);
      }
      return payUrl;
    },
    query: async (o, m) => {
      const requestId = crypto.randomUUID();
      const raw = `accessKey=${m.accessKey}&orderId=${o.orderId}&partnerCode=${m.partnerCode}&requestId=${requestId}`;
      const body = {
        partnerCode: m.partnerCode,
        requestId,
        orderId: o.orderId,
        lang: 'vi',
        signature: hmac256(m.secretKey, raw),
      };
      let res: { status: number; body: unknown };
      try {
        res = await post(endpoints.queryUrl, body);
      } catch {
        return { state: 'unknown' };
      }
      const a = record(res.body);
      const code = Number(a?.resultCode);
      if (res.status !== 200 || !a || a.orderId !== o.orderId || !Number.isInteger(code)) return { state: 'unknown' };
      if (a.partnerCode !== undefined && a.partnerCode !== m.partnerCode) return { state: 'unknown' };
      if (!verifyMomoQueryAnswer(a, m)) return { state: 'unknown' };
      if (code === 0) {
        const amount = Number(a.amount);
        if (!Number.isSafeInteger(amount)) return { state: 'unknown' };
        return { state: 'paid', amount, ...(a.transId !== undefined ? { transactionNo: String(a.transId) } : {}) };
      }
      if (MOMO_IN_PROGRESS.has(code)) return { state: 'pending' };
      if (code === 42) return { state: 'not-found' };
      if (MOMO_FAILED.has(code)) return { state: 'failed' };
      return { state: 'unknown' };
    },
  };
}

/**
 * The local runtime's sandbox pages play both gateways: the pay link opens
 * `/local/sandbox/{gateway}`, whose form delivers the signed callback at once; a payment it never
 * saw paid is simply pending (it expires when its link dies).
 */
export function sandboxClient<M>(publicBaseUrl: string): GatewayClient<M> {
  return {
    open: async (o) => `${publicBaseUrl}/local/sandbox/${o.gateway}?orderId=${encodeURIComponent(o.orderId)}`,
    query: async () => ({ state: 'pending' }),
  };
}
