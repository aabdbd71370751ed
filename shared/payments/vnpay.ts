/**
 * VNPay (cổng thanh toán VNPAY) payment gateway, version 2.1.0: pay-URL signing, IPN verification,
 * the IPN reply codes and the querydr reconciliation request. Pure: node:crypto only, no I/O.
 *
 * Signing scheme (VNPay's Node.js sample and the project's acceptance check agree): take the
 * `vnp_*` fields, drop `vnp_SecureHash` and `vnp_SecureHashType`, sort the keys, encode keys and
 * values with `encodeURIComponent` but space as `+`, join as `k=v&k=v`, HMAC-SHA512 with the hash
 * secret, hex. PHP's `urlencode` also encodes `! ' ( ) * ~`, JS does not: such characters must
 * stay out of what we sign (see {@link sanitizeVnpOrderInfo}).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { vnClock } from '../vn-time.ts';

/** The API version this module speaks. */
const VNPAY_VERSION = '2.1.0';

/** VNPay's sandbox endpoints (production hosts are given by VNPay at contract time). */
export const VNPAY_SANDBOX = {
  payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
  apiUrl: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction',
} as const;

/** A reply to VNPay's IPN call: the JSON body VNPay expects. */
export interface VnpayIpnReply {
  readonly RspCode: string;
  readonly Message: string;
}

/**
 * The IPN reply codes VNPay defines. Order of checks in the handler: signature (97), order exists
 * (01), amount (04), still pending (02), update (00); anything unexpected 99.
 */
export const VNPAY_RSP = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  orderNotFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  unknown: { RspCode: '99', Message: 'Unknown error' },
} as const satisfies Record<string, VnpayIpnReply>;

const HASH_FIELDS = new Set(['vnp_SecureHash', 'vnp_SecureHashType']);
const HEX_SHA512 = /^[0-9a-fA-F]{128}$/;
const TXN_REF = /^[A-Za-z0-9._-]{1,100}$/;
const AMOUNT_DIGITS = /^\d{1,17}$/;
const VNP_DATE = /^\d{14}$/;

/** Encodes one key or value as VNPay's Node sample does: `encodeURIComponent`, space as `+`. */
function vnpEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * The string VNPay signs: `vnp_*` fields without the hash fields, keys sorted, keys and values
 * encoded with {@link vnpEncode}, joined `k=v&k=v`. Fields with an `undefined` value are left out;
 * empty strings are kept (as `k=`), as VNPay's PHP and Node samples do. Keys not starting with
 * `vnp_` are ignored, as VNPay's PHP IPN sample does, so a query parameter added by a proxy does
 * not break the signature (and is never read).
 */
export function vnpSignData(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && !HASH_FIELDS.has(k) && params[k] !== undefined)
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(params[k] ?? '')}`)
    .join('&');
}

/** HMAC-SHA512 (hex, lowercase) of {@link vnpSignData} with the merchant's hash secret. */
export function vnpSign(params: Readonly<Record<string, string | undefined>>, secret: string): string {
  return hmacSha512Hex(secret, vnpSignData(params));
}

/**
 * Formats an instant as VNPay's `yyyyMMddHHmmss` in GMT+7 (Vietnam has no daylight saving time),
 * whatever the host's time zone.
 */
export function formatVnpDate(instant: Date): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid date');
  const d = vnClock(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/**
 * Makes a `vnp_OrderInfo` VNPay accepts and every encoder agrees on: Vietnamese without diacritics
 * (as VNPay asks), only letters, digits, spaces and `- _ . , :` (so `*`, `!`, `'`, `(`, `)`, `~`
 * and the rest are removed), whitespace collapsed, at most 255 characters.
 */
export function sanitizeVnpOrderInfo(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 _.,:-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255)
    .trim();
}

/** Options of {@link buildVnpayPayUrl}. */
interface VnpayPayUrlOptions {
  /** The gateway's pay page, e.g. {@link VNPAY_SANDBOX}.payUrl. */
  readonly baseUrl: string;
  readonly tmnCode: string;
  readonly hashSecret: string;
  /** Our order reference (unique per day at VNPay): 1-100 of `A-Z a-z 0-9 . _ -`. */
  readonly txnRef: string;
  /** Amount in đồng, a positive integer; sent ×100 as VNPay requires. */
  readonly amountVnd: number;
  /** Free text; sanitized with {@link sanitizeVnpOrderInfo}. */
  readonly orderInfo: string;
  readonly returnUrl: string;
  /** The citizen's IP address. */
  readonly ipAddr: string;
  readonly createdAt: Date;
  /** Minutes until VNPay refuses the payment; 15 when omitted. */
  readonly expiresInMinutes?: number;
  readonly locale?: 'vn' | 'en';
  /** VNPay's goods category; `other` when omitted. */
  readonly orderType?: string;
  /** Preselects a bank or method (e.g. `VNPAYQR`, `VNBANK`, `INTCARD`); the citizen chooses when omitted. */
  readonly bankCode?: string;
}

/**
 * Builds the signed URL that sends the citizen to VNPay's pay page (`vnp_Command=pay`).
 * Throws `RangeError` on an amount that is not a positive safe integer, a malformed `txnRef`, a
 * non-positive expiry, or an order text with nothing left after sanitizing.
 */
export function buildVnpayPayUrl(opts: VnpayPayUrlOptions): string {
  if (!Number.isSafeInteger(opts.amountVnd) || opts.amountVnd <= 0 || !Number.isSafeInteger(opts.amountVnd * 100)) {
    throw new RangeError(`amountVnd must be a positive integer, got ${opts.amountVnd}`);
  }
  if (!TXN_REF.test(opts.txnRef)) throw new RangeError('txnRef must be 1-100 of A-Z a-z 0-9 . _ -');
  const expiresInMinutes = opts.expiresInMinutes ?? 15;
  if (!Number.isFinite(expiresInMinutes) || expiresInMinutes <= 0) {
    throw new RangeError('expiresInMinutes must be positive');
  }
  const orderInfo = sanitizeVnpOrderInfo(opts.orderInfo);
  if (orderInfo === '') throw new RangeError('orderInfo is empty after sanitizing');
  const params: Record<string, string> = {
    vnp_Version: VNPAY_VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: opts.tmnCode,
    vnp_Amount: String(opts.amountVnd * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: opts.txnRef,
    vnp_OrderInfo: orderInfo,
    vnp_OrderType: opts.orderType ?? 'other',
    vnp_Locale: opts.locale ?? 'vn',
    vnp_ReturnUrl: opts.returnUrl,
    vnp_IpAddr: opts.ipAddr,
    vnp_CreateDate: formatVnpDate(opts.createdAt),
    vnp_ExpireDate: formatVnpDate(new Date(opts.createdAt.getTime() + Math.round(expiresInMinutes * 60_000))),
  };
  if (opts.bankCode) params.vnp_BankCode = opts.bankCode;
  // The query is the signed string itself, as in VNPay's samples, so what VNPay hashes is what we hashed.
  const signData = vnpSignData(params);
  const sep = opts.baseUrl.includes('?') ? '&' : '?';
  return `${opts.baseUrl}${sep}${signData}&vnp_SecureHash=${hmacSha512Hex(opts.hashSecret, signData)}`;
}

/**
 * Parses a raw query string (without `?`) the way VNPay's encoder means it: `+` is a space, `%XX`
 * are UTF-8 bytes. Prefer this over a platform's pre-decoded parameters, some of which leave `+`
 * undecoded. A repeated key keeps its first value.
 */
export function parseVnpayQuery(rawQueryString: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    if (!Object.hasOwn(out, k)) out[k] = v;
  }
  return out;
}

/** A verified VNPay IPN (or return-URL) call. */
interface VnpayIpnVerified {
  readonly ok: true;
  readonly txnRef: string;
  /** `vnp_Amount` / 100. */
  readonly amountVnd: number;
  /** `vnp_ResponseCode` and `vnp_TransactionStatus` both `00`. */
  readonly success: boolean;
  readonly transactionNo?: string;
  readonly bankCode?: string;
  /** `yyyyMMddHHmmss`, GMT+7. */
  readonly payDate?: string;
}

/**
 * Why a VNPay call was refused. `bad-signature`: hash missing, not hex, wrong, or signed for another
 * terminal (reply {@link VNPAY_RSP}.invalidSignature). `malformed`: correctly signed but without a
 * usable `vnp_TxnRef` or `vnp_Amount` (an integer string divisible by 100).
 */
interface VnpayIpnRejected {
  readonly ok: false;
  /** `invalid-amount`: correctly signed, but `vnp_Amount` is not a whole number of đồng (×100): reply 04. */
  readonly reason: 'bad-signature' | 'malformed' | 'invalid-amount';
}

/**
 * Verifies an IPN (or return-URL) query from VNPay: the signature first (hex compared without
 * regard to case, in constant time; `vnp_SecureHashType` may be present or not), then the terminal
 * code, then the fields we use. Pass the decoded query, e.g. from {@link parseVnpayQuery}.
 */
export function verifyVnpayIpn(
  query: Readonly<Record<string, string | undefined>>,
  cfg: { readonly tmnCode: string; readonly hashSecret: string },
): VnpayIpnVerified | VnpayIpnRejected {
  const given = query.vnp_SecureHash;
  if (given === undefined || !HEX_SHA512.test(given)) return { ok: false, reason: 'bad-signature' };
  let expected: string;
  try {
    expected = vnpSign(query, cfg.hashSecret);
  } catch {
    // encodeURIComponent throws on lone surrogates: nothing VNPay could have signed.
    return { ok: false, reason: 'bad-signature' };
  }
  if (!hexEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (query.vnp_TmnCode !== cfg.tmnCode) return { ok: false, reason: 'bad-signature' };

  const txnRef = query.vnp_TxnRef;
  const amount = query.vnp_Amount;
  if (!txnRef || amount === undefined || !AMOUNT_DIGITS.test(amount)) return { ok: false, reason: 'malformed' };
  const minor = Number(amount);
  if (minor % 100 !== 0) return { ok: false, reason: 'invalid-amount' };

  return {
    ok: true,
    txnRef,
    amountVnd: minor / 100,
    success: query.vnp_ResponseCode === '00' && query.vnp_TransactionStatus === '00',
    ...(query.vnp_TransactionNo ? { transactionNo: query.vnp_TransactionNo } : {}),
    ...(query.vnp_BankCode ? { bankCode: query.vnp_BankCode } : {}),
    ...(query.vnp_PayDate ? { payDate: query.vnp_PayDate } : {}),
  };
}

/**
 * The string VNPay hashed, rebuilt from the query string as it was received: the raw `k=v` pairs
 * of the `vnp_*` fields (not decoded and re-encoded: encoders differ on `( ) ~ ! ' *`), without the
 * hash fields, sorted by key, joined with `&`. `keepEmpty: false` leaves out fields whose value is
 * empty, as VNPay's Java and .NET samples and the `vnpay` npm library do; its PHP IPN sample keeps
 * them. A repeated key keeps its first pair.
 */
function vnpSignDataRaw(rawQueryString: string, opts: { keepEmpty: boolean }): string {
  const seen = new Set<string>();
  const pairs: { key: string; raw: string }[] = [];
  for (const part of rawQueryString.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (!key.startsWith('vnp_') || HASH_FIELDS.has(key) || seen.has(key)) continue;
    seen.add(key);
    if (rawValue === '' && !opts.keepEmpty) continue;
    pairs.push({ key, raw: `${rawKey}=${rawValue}` });
  }
  return pairs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.raw)
    .join('&');
}

/** A verified IPN, and which of the candidate merchants signed it. */
type VnpayRawVerified = VnpayIpnVerified & { readonly merchant: number };

/**
 * Verifies an IPN (or return-URL) query string as received, against the merchants that may have
 * signed it (those with its `vnp_TmnCode`): the hash over the raw pairs without empty-valued fields
 * (VNPay's own samples), or with them (its PHP sample), compared without regard to case in
 * constant time; then the fields. Which merchant verified is returned: it decides which wards'
 * payments this call may settle.
 */
export function verifyVnpayIpnRaw(
  rawQueryString: string,
  merchants: readonly { readonly tmnCode: string; readonly hashSecret: string }[],
): VnpayRawVerified | VnpayIpnRejected {
  const query = parseVnpayQuery(rawQueryString);
  const given = query.vnp_SecureHash;
  if (given === undefined || !HEX_SHA512.test(given)) return { ok: false, reason: 'bad-signature' };
  const variants = [
    vnpSignDataRaw(rawQueryString, { keepEmpty: false }),
    vnpSignDataRaw(rawQueryString, { keepEmpty: true }),
  ];
  const index = merchants.findIndex(
    (m) =>
      m.tmnCode === query.vnp_TmnCode && variants.some((data) => hexEqual(given, hmacSha512Hex(m.hashSecret, data))),
  );
  const m = merchants[index];
  if (!m) return { ok: false, reason: 'bad-signature' };
  const txnRef = query.vnp_TxnRef;
  const amount = query.vnp_Amount;
  if (!txnRef || amount === undefined || !AMOUNT_DIGITS.test(amount)) return { ok: false, reason: 'malformed' };
  const minor = Number(amount);
  if (minor % 100 !== 0) return { ok: false, reason: 'invalid-amount' };
  return {
    ok: true,
    merchant: index,
    txnRef,
    amountVnd: minor / 100,
    success: query.vnp_ResponseCode === '00' && query.vnp_TransactionStatus === '00',
    ...(query.vnp_TransactionNo ? { transactionNo: query.vnp_TransactionNo } : {}),
    ...(query.vnp_BankCode ? { bankCode: query.vnp_BankCode } : {}),
    ...(query.vnp_PayDate ? { payDate: query.vnp_PayDate } : {}),
  };
}

/** Options of {@link buildVnpayQueryDr}. */
interface VnpayQueryDrOptions {
  readonly tmnCode: string;
  readonly hashSecret: string;
  /** Unique per day for our terminal. */
  readonly requestId: string;
  readonly txnRef: string;
  /** The payment's `vnp_CreateDate` (a `Date`, or already `yyyyMMddHHmmss` GMT+7). */
  readonly transactionDate: Date | string;
  /** When this query is made. */
  readonly createdAt: Date;
  /** The IP address of the server making the query. */
  readonly ipAddr: string;
  /** Free text; sanitized with {@link sanitizeVnpOrderInfo}. */
  readonly orderInfo: string;
  /** VNPay's transaction number, when known. */
  readonly transactionNo?: string;
}

/** The JSON body of a querydr request (POST to {@link VNPAY_SANDBOX}.apiUrl or the production equivalent). */
interface VnpayQueryDrRequest {
  readonly vnp_RequestId: string;
  readonly vnp_Version: string;
  readonly vnp_Command: 'querydr';
  readonly vnp_TmnCode: string;
  readonly vnp_TxnRef: string;
  readonly vnp_OrderInfo: string;
  readonly vnp_TransactionNo?: string;
  readonly vnp_TransactionDate: string;
  readonly vnp_CreateDate: string;
  readonly vnp_IpAddr: string;
  readonly vnp_SecureHash: string;
}

/**
 * Builds a querydr (transaction status) request for reconciliation. Its hash is HMAC-SHA512 (hex)
 * over `RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo`.
 */
export function buildVnpayQueryDr(opts: VnpayQueryDrOptions): VnpayQueryDrRequest {
  const transactionDate =
    typeof opts.transactionDate === 'string' ? opts.transactionDate : formatVnpDate(opts.transactionDate);
  if (!VNP_DATE.test(transactionDate)) throw new RangeError('transactionDate must be yyyyMMddHHmmss');
  const createDate = formatVnpDate(opts.createdAt);
  const orderInfo = sanitizeVnpOrderInfo(opts.orderInfo);
  const data = [
    opts.requestId,
    VNPAY_VERSION,
    'querydr',
    opts.tmnCode,
    opts.txnRef,
    transactionDate,
    createDate,
    opts.ipAddr,
    orderInfo,
  ].join('|');
  return {
    vnp_RequestId: opts.requestId,
    vnp_Version: VNPAY_VERSION,
    vnp_Command: 'querydr',
    vnp_TmnCode: opts.tmnCode,
    vnp_TxnRef: opts.txnRef,
    vnp_OrderInfo: orderInfo,
    ...(opts.transactionNo ? { vnp_TransactionNo: opts.transactionNo } : {}),
    vnp_TransactionDate: transactionDate,
    vnp_CreateDate: createDate,
    vnp_IpAddr: opts.ipAddr,
    vnp_SecureHash: hmacSha512Hex(opts.hashSecret, data),
  };
}

/** A verified querydr answer. */
interface VnpayQueryDrVerified {
  readonly ok: true;
  /** `00` when the query itself succeeded (then the transaction fields are meaningful). */
  readonly responseCode: string;
  readonly txnRef: string;
  /** `vnp_Amount` / 100, when present and well formed. */
  readonly amountVnd?: number;
  /** `00` paid, `01` not finished, `02` failed, other codes per VNPay's table. */
  readonly transactionStatus: string;
  /** `vnp_ResponseCode` and `vnp_TransactionStatus` both `00`. */
  readonly success: boolean;
  readonly transactionNo?: string;
  readonly payDate?: string;
}

/**
 * Verifies VNPay's answer to a querydr request. The answer's hash is HMAC-SHA512 over
 * `ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|PayDate|TransactionNo|
 * TransactionType|TransactionStatus|OrderInfo|PromotionCode|PromotionAmount` (absent fields empty),
 * as public client libraries compute it; VNPay's own specification was not available to check.
 */
export function verifyVnpayQueryDrResponse(
  body: unknown,
  cfg: { readonly tmnCode: string; readonly hashSecret: string },
): VnpayQueryDrVerified | VnpayIpnRejected {
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'malformed' };
  const rec = body as Record<string, unknown>;
  const field = (k: string): string => {
    const v = rec[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  const given = field('vnp_SecureHash');
  if (!HEX_SHA512.test(given)) return { ok: false, reason: 'bad-signature' };
  const data = [
    'vnp_ResponseId',
    'vnp_Command',
    'vnp_ResponseCode',
    'vnp_Message',
    'vnp_TmnCode',
    'vnp_TxnRef',
    'vnp_Amount',
    'vnp_BankCode',
    'vnp_PayDate',
    'vnp_TransactionNo',
    'vnp_TransactionType',
    'vnp_TransactionStatus',
    'vnp_OrderInfo',
    'vnp_PromotionCode',
    'vnp_PromotionAmount',
  ]
    .map(field)
    .join('|');
  if (!hexEqual(given, hmacSha512Hex(cfg.hashSecret, data))) return { ok: false, reason: 'bad-signature' };
  if (field('vnp_TmnCode') !== cfg.tmnCode) return { ok: false, reason: 'bad-signature' };
  const responseCode = field('vnp_ResponseCode');
  const txnRef = field('vnp_TxnRef');
  if (responseCode === '') return { ok: false, reason: 'malformed' };
  const amount = field('vnp_Amount');
  const minor = AMOUNT_DIGITS.test(amount) ? Number(amount) : Number.NaN;
  const transactionStatus = field('vnp_TransactionStatus');
  const transactionNo = field('vnp_TransactionNo');
  const payDate = field('vnp_PayDate');
  return {
    ok: true,
    responseCode,
    txnRef,
    ...(minor % 100 === 0 ? { amountVnd: minor / 100 } : {}),
    transactionStatus,
    success: responseCode === '00' && transactionStatus === '00',
    ...(transactionNo ? { transactionNo } : {}),
    ...(payDate ? { payDate } : {}),
  };
}

function hmacSha512Hex(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex strings of equal length, without regard to case. */
function hexEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
