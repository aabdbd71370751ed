/**
 * MoMo (ví MoMo) payment gateway, AIO v2: the create-payment request and IPN verification.
 * Pure: node:crypto and zod only, no I/O.
 *
 * MoMo signs a fixed-order `k=v&k=v` string of raw (unencoded) values with HMAC-SHA256 and the
 * merchant's secret key, hex. `accessKey` is part of the signed string but never of the IPN body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/** Merchant credentials issued by MoMo. */
export interface MomoConfig {
  readonly partnerCode: string;
  readonly accessKey: string;
  readonly secretKey: string;
}

/** The IPN fields covered by MoMo's signature (all but `accessKey` travel in the body). */
interface MomoIpnSignedFields {
  readonly amount: number | string;
  readonly extraData: string;
  readonly message: string;
  readonly orderId: string;
  readonly orderInfo: string;
  readonly orderType: string;
  readonly partnerCode: string;
  readonly payType: string;
  readonly requestId: string;
  readonly responseTime: number | string;
  readonly resultCode: number | string;
  readonly transId: number | string;
}

/** An IPN body as MoMo posts it (JSON). */
export interface MomoIpnBody extends MomoIpnSignedFields {
  readonly signature: string;
}

/** The fields MoMo signs in an IPN (and its query answer), in the order it signs them. */
export const IPN_FIELD_ORDER = [
  'amount',
  'extraData',
  'message',
  'orderId',
  'orderInfo',
  'orderType',
  'partnerCode',
  'payType',
  'requestId',
  'responseTime',
  'resultCode',
  'transId',
] as const satisfies readonly (keyof MomoIpnSignedFields)[];

const ORDER_ID = /^[0-9a-zA-Z]([-_.]*[0-9a-zA-Z]+)*$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const digits = z.string().regex(/^\d{1,18}$/);
const integer = z.union([z.number().int().nonnegative(), digits]);

const ipnSchema = z.object({
  partnerCode: z.string().min(1),
  orderId: z.string().min(1),
  requestId: z.string().min(1),
  amount: integer,
  orderInfo: z.string(),
  orderType: z.string(),
  transId: integer,
  resultCode: z.union([z.number().int(), z.string().regex(/^-?\d{1,9}$/)]),
  message: z.string(),
  payType: z.string(),
  responseTime: integer,
  // Optional in MoMo's table; signed as the empty string when absent.
  extraData: z.string().optional().default(''),
  signature: z.string(),
});

/**
 * The string MoMo signs in an IPN: `accessKey=..&amount=..&extraData=..&message=..&orderId=..
 * &orderInfo=..&orderType=..&partnerCode=..&payType=..&requestId=..&responseTime=..&resultCode=..
 * &transId=..`, values raw (not URL-encoded), numbers in their plain decimal form.
 */
export function momoIpnRawSignature(body: MomoIpnSignedFields, accessKey: string): string {
  return [`accessKey=${accessKey}`, ...IPN_FIELD_ORDER.map((k) => `${k}=${String(body[k])}`)].join('&');
}

/** A verified MoMo IPN. */
interface MomoIpnVerified {
  readonly ok: true;
  readonly orderId: string;
  readonly requestId: string;
  readonly amountVnd: number;
  /** `resultCode` is 0. */
  readonly success: boolean;
  readonly transId: string;
  readonly resultCode: number;
}

/**
 * Why a MoMo IPN was refused. `malformed`: the body lacks a field of the signed set or has one of
 * the wrong type. `bad-signature`: signature not 64 hex digits, wrong, or the IPN is for another
 * partner code. Either way the IPN must change nothing.
 */
interface MomoIpnRejected {
  readonly ok: false;
  readonly reason: 'bad-signature' | 'malformed';
}

/**
 * Verifies a MoMo IPN body: its shape (zod), its signature (hex compared without regard to case,
 * in constant time), then that it is addressed to our partner code.
 */
export function verifyMomoIpn(body: unknown, cfg: MomoConfig): MomoIpnVerified | MomoIpnRejected {
  const parsed = ipnSchema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const ipn = parsed.data;
  if (!HEX_SHA256.test(ipn.signature)) return { ok: false, reason: 'bad-signature' };
  const expected = hmacSha256Hex(cfg.secretKey, momoIpnRawSignature(ipn, cfg.accessKey));
  if (!hexEqual(ipn.signature, expected)) return { ok: false, reason: 'bad-signature' };
  if (ipn.partnerCode !== cfg.partnerCode) return { ok: false, reason: 'bad-signature' };
  const amountVnd = Number(ipn.amount);
  const resultCode = Number(ipn.resultCode);
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    orderId: ipn.orderId,
    requestId: ipn.requestId,
    amountVnd,
    success: resultCode === 0,
    transId: String(ipn.transId),
    resultCode,
  };
}

/** Options of {@link buildMomoCreateRequest}. */
interface MomoCreateOptions extends MomoConfig {
  /** Our order reference, unique at MoMo: `^[0-9a-zA-Z]([-_.]*[0-9a-zA-Z]+)*$`, at most 50 characters. */
  readonly orderId: string;
  /** Unique per request (MoMo uses it for idempotency), at most 50 characters. */
  readonly requestId: string;
  /** Amount in đồng: an integer from 1,000 to 50,000,000 (MoMo's wallet limits). */
  readonly amountVnd: number;
  readonly orderInfo: string;
  /** Where MoMo sends the citizen back. */
  readonly redirectUrl: string;
  /** Where MoMo posts the IPN. */
  readonly ipnUrl: string;
  /** Base64 of a JSON object, or empty. */
  readonly extraData?: string;
  readonly requestType?: 'captureWallet' | 'payWithATM';
  readonly lang?: 'vi' | 'en';
}

/**
 * Builds the JSON body of `POST /v2/gateway/api/create` and the raw string it signs:
 * `accessKey=..&amount=..&extraData=..&ipnUrl=..&orderId=..&orderInfo=..&partnerCode=..
 * &redirectUrl=..&requestId=..&requestType=..`, HMAC-SHA256 hex. The access key is signed but not
 * sent. Throws `RangeError` on an amount outside MoMo's limits or a malformed id.
 */
export function buildMomoCreateRequest(opts: MomoCreateOptions): {
  body: Record<string, string | number>;
  rawSignature: string;
} {
  if (!Number.isSafeInteger(opts.amountVnd) || opts.amountVnd < 1_000 || opts.amountVnd > 50_000_000) {
    throw new RangeError(`amountVnd must be an integer from 1000 to 50000000, got ${opts.amountVnd}`);
  }
  if (opts.orderId.length > 50 || !ORDER_ID.test(opts.orderId)) throw new RangeError('orderId is not valid for MoMo');
  if (opts.requestId.length === 0 || opts.requestId.length > 50) throw new RangeError('requestId must be 1-50 chars');
  const extraData = opts.extraData ?? '';
  const requestType = opts.requestType ?? 'captureWallet';
  const rawSignature = [
    `accessKey=${opts.accessKey}`,
    `amount=${opts.amountVnd}`,
    `extraData=${extraData}`,
    `ipnUrl=${opts.ipnUrl}`,
    `orderId=${opts.orderId}`,
    `orderInfo=${opts.orderInfo}`,
    `partnerCode=${opts.partnerCode}`,
    `redirectUrl=${opts.redirectUrl}`,
    `requestId=${opts.requestId}`,
    `requestType=${requestType}`,
  ].join('&');
  return {
    body: {
      partnerCode: opts.partnerCode,
      requestId: opts.requestId,
      amount: opts.amountVnd,
      orderId: opts.orderId,
      orderInfo: opts.orderInfo,
      redirectUrl: opts.redirectUrl,
      ipnUrl: opts.ipnUrl,
      requestType,
      extraData,
      lang: opts.lang ?? 'vi',
      signature: hmacSha256Hex(opts.secretKey, rawSignature),
    },
    rawSignature,
  };
}

/** Fields of an IPN to sign with {@link signMomoIpn}; omitted ones take a sandbox default. */
interface MomoIpnFields {
  readonly orderId: string;
  readonly requestId: string;
  readonly amount: number;
  /** 0 (success) when omitted; MoMo uses 1006 when the citizen refuses. */
  readonly resultCode?: number;
  /** MoMo's transaction number; `responseTime` when omitted. */
  readonly transId?: number;
  /** Milliseconds since the epoch; now when omitted. */
  readonly responseTime?: number;
  readonly message?: string;
  readonly orderInfo?: string;
  readonly orderType?: string;
  readonly payType?: string;
  readonly extraData?: string;
}

/**
 * Produces an IPN body signed as MoMo would sign it, for the local sandbox page that plays the
 * gateway and for tests. The partner code comes from `cfg`.
 */
export function signMomoIpn(fields: MomoIpnFields, cfg: MomoConfig): MomoIpnBody {
  const resultCode = fields.resultCode ?? 0;
  const responseTime = fields.responseTime ?? Date.now();
  const signed: MomoIpnSignedFields = {
    partnerCode: cfg.partnerCode,
    orderId: fields.orderId,
    requestId: fields.requestId,
    amount: fields.amount,
    orderInfo: fields.orderInfo ?? '',
    orderType: fields.orderType ?? 'momo_wallet',
    transId: fields.transId ?? responseTime,
    resultCode,
    message: fields.message ?? (resultCode === 0 ? 'Successful.' : 'Transaction denied by user.'),
    payType: fields.payType ?? 'qr',
    responseTime,
    extraData: fields.extraData ?? '',
  };
  return { ...signed, signature: hmacSha256Hex(cfg.secretKey, momoIpnRawSignature(signed, cfg.accessKey)) };
}

function hmacSha256Hex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex strings of equal length, without regard to case. */
function hexEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
