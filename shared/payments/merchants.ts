/**
 * Who the money goes to and where the gateways are: one merchant per ward, and the gateways'
 * endpoints per deployment (sandbox or production). Pure: parses settings, never reads them.
 *
 * Merchants. The five variables of DESIGN.md §7 (VNPAY_TMN_CODE, VNPAY_HASH_SECRET,
 * MOMO_PARTNER_CODE, MOMO_ACCESS_KEY, MOMO_SECRET_KEY) set the merchant of every ward without one
 * of its own; `WARD_MERCHANTS` (a JSON object, in the same secret or environment) gives wards their
 * own: `{ "bimson": { "vnpay": { "tmnCode", "hashSecret" }, "momo": { "partnerCode", "accessKey",
 * "secretKey" } } }`. A ward with its own entry takes only the gateways it lists (a ward that takes
 * only VNPay needs no MoMo keys), so its fees never settle into another ward's account.
 *
 * Endpoints. `PAYMENT_GATEWAY_MODE` is `sandbox` or `production`; each mode has the gateways' URLs
 * (below, with their sources), and VNPAY_PAY_URL, VNPAY_API_URL, MOMO_CREATE_URL, MOMO_QUERY_URL
 * override them one by one (VNPay confirms a merchant's production hosts at contract time).
 * Production refuses the sandbox hosts and anything not https.
 */
import * as z from 'zod';
import { GatewayConfigError, GatewayEndpointError, MerchantSettingsError } from '../errors.ts';
import { GATEWAY_SETTING_NAMES, type GatewaySettingName, SETTING_PLACEHOLDER } from './gateway-config.ts';
import type { MomoConfig } from './momo.ts';

export interface VnpayMerchant {
  readonly tmnCode: string;
  readonly hashSecret: string;
}

/** The merchants of one ward (or of the wards without their own); a gateway left out is not offered. */
export interface WardMerchants {
  readonly vnpay?: VnpayMerchant;
  readonly momo?: MomoConfig;
}

export interface MerchantSettings {
  /** Wards with merchants of their own. */
  readonly wards: Readonly<Record<string, WardMerchants>>;
  /** The merchants of every other ward (the five variables). */
  readonly fallback: WardMerchants;
}

/** The setting with the wards' own merchants (JSON). */
const WARD_MERCHANTS_SETTING = 'WARD_MERCHANTS';

const code = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => v !== SETTING_PLACEHOLDER, 'still the placeholder');
const wardMerchantsSchema = z.record(
  z.string().regex(/^[a-z0-9-]{2,40}$/),
  z
    .object({
      vnpay: z.object({ tmnCode: code, hashSecret: code }).strict().optional(),
      momo: z.object({ partnerCode: code, accessKey: code, secretKey: code }).strict().optional(),
    })
    .strict(),
);

function value(source: Readonly<Record<string, unknown>>, name: GatewaySettingName): string | undefined {
  const raw = source[name];
  const v = typeof raw === 'string' ? raw.trim() : '';
  return v === '' || v === SETTING_PLACEHOLDER ? undefined : v;
}

/**
 * Reads the merchants from a flat record (the environment, or the secret's JSON object). A gateway
 * of the fallback is set when all its variables are, absent when none is; half set is an error
 * (GatewayConfigError naming what is missing). So is having no merchant at all.
 */
export function parseMerchantSettings(source: Readonly<Record<string, unknown>>): MerchantSettings {
  const v = Object.fromEntries(GATEWAY_SETTING_NAMES.map((n) => [n, value(source, n)])) as Record<
    GatewaySettingName,
    string | undefined
  >;
  const groups: Record<'vnpay' | 'momo', GatewaySettingName[]> = {
    vnpay: ['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET'],
    momo: ['MOMO_PARTNER_CODE', 'MOMO_ACCESS_KEY', 'MOMO_SECRET_KEY'],
  };
  const missing: GatewaySettingName[] = [];
  for (const names of Object.values(groups)) {
    const set = names.filter((n) => v[n] !== undefined);
    if (set.length > 0 && set.length < names.length) missing.push(...names.filter((n) => v[n] === undefined));
  }
  if (missing.length) throw new GatewayConfigError(missing);
  const fallback: WardMerchants = {
    ...(v.VNPAY_TMN_CODE && v.VNPAY_HASH_SECRET
      ? { vnpay: { tmnCode: v.VNPAY_TMN_CODE, hashSecret: v.VNPAY_HASH_SECRET } }
      : {}),
    ...(v.MOMO_PARTNER_CODE && v.MOMO_ACCESS_KEY && v.MOMO_SECRET_KEY
      ? { momo: { partnerCode: v.MOMO_PARTNER_CODE, accessKey: v.MOMO_ACCESS_KEY, secretKey: v.MOMO_SECRET_KEY } }
      : {}),
  };
  let wards: Record<string, WardMerchants> = {};
  const raw = source[WARD_MERCHANTS_SETTING];
  if (typeof raw === 'string' && raw.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new MerchantSettingsError(`${WARD_MERCHANTS_SETTING} is not JSON`);
    }
    const parsed = wardMerchantsSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new MerchantSettingsError(`${WARD_MERCHANTS_SETTING} is not valid at: ${where}`);
    }
    wards = parsed.data as Record<string, WardMerchants>;
  } else if (typeof raw === 'object' && raw !== null) {
    throw new MerchantSettingsError(`${WARD_MERCHANTS_SETTING} must be a JSON string`);
  }
  if (!fallback.vnpay && !fallback.momo && Object.keys(wards).length === 0) {
    throw new GatewayConfigError([...GATEWAY_SETTING_NAMES]);
  }
  return { wards, fallback };
}

/** The ward's merchant for a gateway: its own, or the fallback when it has no entry; undefined when not offered. */
export function merchantOf<G extends keyof WardMerchants>(
  s: MerchantSettings,
  ward: string,
  gateway: G,
): WardMerchants[G] | undefined {
  const own = s.wards[ward];
  return own ? own[gateway] : s.fallback[gateway];
}

/**
 * The merchants a callback may come from, by the code it names (vnp_TmnCode, MoMo's partnerCode),
 * each with the wards it serves: a callback verified with one may only confirm those wards' payments.
 */
export function callbackMerchants<G extends keyof WardMerchants>(
  s: MerchantSettings,
  gateway: G,
  merchantCode: string,
): { merchant: NonNullable<WardMerchants[G]>; serves: (ward: string) => boolean }[] {
  const codeOf = (m: VnpayMerchant | MomoConfig): string => ('tmnCode' in m ? m.tmnCode : m.partnerCode);
  const out: { merchant: NonNullable<WardMerchants[G]>; serves: (ward: string) => boolean }[] = [];
  for (const [ward, own] of Object.entries(s.wards)) {
    const m = own[gateway];
    if (m && codeOf(m) === merchantCode) out.push({ merchant: m, serves: (w) => w === ward });
  }
  const f = s.fallback[gateway];
  if (f && codeOf(f) === merchantCode) out.push({ merchant: f, serves: (w) => !Object.hasOwn(s.wards, w) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export const GATEWAY_MODES = ['sandbox', 'production'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];

export interface GatewayEndpoints {
  readonly vnpay: { readonly payUrl: string; readonly apiUrl: string };
  readonly momo: { readonly createUrl: string; readonly queryUrl: string };
}

/**
 * The gateways' URLs per mode. Sources: VNPay's sandbox documentation
 * (https://sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html: pay page `paymentv2/vpcpay.html`,
 * querydr `merchant_webapi/api/transaction`, the same paths as the `vnpay` npm library's constants);
 * VNPay's production pay page `https://pay.vnpay.vn/vpcpay.html` and API host
 * `https://merchant.vnpay.vn/merchant_webapi/api/transaction` as VNPay gives them to merchants at
 * go-live, as published integrations use them (e.g. phpviet/omnipay-vnpay; others use
 * `https://vnpayment.vn/paymentv2/vpcpay.html`; VNPay confirms the hosts per contract, so each is a
 * setting). MoMo's AIO v2 (https://developers.momo.vn/v3/docs/payment/api/payment-api):
 * `https://test-payment.momo.vn` for testing and `https://payment.momo.vn` for production, paths
 * `/v2/gateway/api/create` and `/v2/gateway/api/query`. Not confirmed from the gateways' own
 * production pages (they need a merchant login).
 */
export const GATEWAY_ENDPOINTS: Readonly<Record<GatewayMode, GatewayEndpoints>> = {
  sandbox: {
    vnpay: {
      payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
      apiUrl: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction',
    },
    momo: {
      createUrl: 'https://test-payment.momo.vn/v2/gateway/api/create',
      queryUrl: 'https://test-payment.momo.vn/v2/gateway/api/query',
    },
  },
  production: {
    vnpay: {
      payUrl: 'https://pay.vnpay.vn/vpcpay.html',
      apiUrl: 'https://merchant.vnpay.vn/merchant_webapi/api/transaction',
    },
    momo: {
      createUrl: 'https://payment.momo.vn/v2/gateway/api/create',
      queryUrl: 'https://payment.momo.vn/v2/gateway/api/query',
    },
  },
};

/** Hosts that only ever take test money: a production deployment refuses them. */
const SANDBOX_HOSTS: readonly string[] = ['sandbox.vnpayment.vn', 'test-payment.momo.vn'];

/** The settings that choose the endpoints (environment variables; CDK context sets them in the cloud). */
export const ENDPOINT_SETTINGS = {
  mode: 'PAYMENT_GATEWAY_MODE',
  vnpayPayUrl: 'VNPAY_PAY_URL',
  vnpayApiUrl: 'VNPAY_API_URL',
  momoCreateUrl: 'MOMO_CREATE_URL',
  momoQueryUrl: 'MOMO_QUERY_URL',
} as const;

/** Why `url` may not be a gateway endpoint in `mode`; undefined when it may. */
function endpointProblem(url: string, mode: GatewayMode): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:') return 'must be https';
  if (u.username || u.password) return 'must not carry credentials';
  if (mode === 'production' && SANDBOX_HOSTS.includes(u.hostname.toLowerCase())) {
    return `is a sandbox host (${u.hostname}); a production deployment takes real money only`;
  }
  return undefined;
}

/**
 * The endpoints from settings: the mode's URLs with the overrides. Throws GatewayEndpointError on
 * an unknown mode or a URL the mode refuses (production: no sandbox host, https only).
 */
export function parseGatewayEndpoints(source: Readonly<Record<string, string | undefined>>): {
  mode: GatewayMode;
  endpoints: GatewayEndpoints;
} {
  const rawMode = (source[ENDPOINT_SETTINGS.mode] ?? 'sandbox').trim() || 'sandbox';
  if (!(GATEWAY_MODES as readonly string[]).includes(rawMode)) {
    throw new GatewayEndpointError(`${ENDPOINT_SETTINGS.mode} must be sandbox or production, got ${rawMode}`);
  }
  const mode = rawMode as GatewayMode;
  const base = GATEWAY_ENDPOINTS[mode];
  const pick = (name: string, fallback: string): string => {
    const url = source[name]?.trim() || fallback;
    const problem = endpointProblem(url, mode);
    if (problem) throw new GatewayEndpointError(`${name} ${problem}: ${url}`);
    return url;
  };
  return {
    mode,
    endpoints: {
      vnpay: {
        payUrl: pick(ENDPOINT_SETTINGS.vnpayPayUrl, base.vnpay.payUrl),
        apiUrl: pick(ENDPOINT_SETTINGS.vnpayApiUrl, base.vnpay.apiUrl),
      },
      momo: {
        createUrl: pick(ENDPOINT_SETTINGS.momoCreateUrl, base.momo.createUrl),
        queryUrl: pick(ENDPOINT_SETTINGS.momoQueryUrl, base.momo.queryUrl),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Return URLs

/** Characters a return URL may hold: ones every gateway's encoder (JS, PHP, Java) writes alike. */
const SAFE_URL = /^[A-Za-z0-9\-._/?&=:#]*$/;

/**
 * Why `url` may not be where a gateway sends the citizen back; undefined when it may. It must be an
 * https URL (http only for a loopback origin listed, for local front ends) whose origin is one of
 * `origins`, with no user or password, and only characters that every encoder writes the same way
 * (no `~ ! ' ( ) *`, spaces, `+`, `%` escapes or non-ASCII: VNPay signs the encoded URL).
 */
export function returnUrlProblem(url: string, origins: readonly string[]): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'không phải là địa chỉ URL';
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return 'phải dùng https';
  if (u.username || u.password || url.includes('@')) return 'không được chứa tên đăng nhập hay mật khẩu';
  if (!SAFE_URL.test(url)) return 'chứa ký tự mà các cổng thanh toán mã hóa khác nhau';
  if (!origins.includes(u.origin)) return 'không thuộc các trang dịch vụ công đã đăng ký';
  return undefined;
}

/** `FRONTEND_ORIGINS`: comma-separated origins of the front ends a gateway may send citizens back to. */
export const FRONTEND_ORIGINS_SETTING = 'FRONTEND_ORIGINS';

/** The origins of a comma-separated list; entries that are not origins are dropped. */
export function parseOrigins(list: string | undefined): readonly string[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => {
      try {
        return s !== '' && new URL(s).origin === s.replace(/\/$/, '');
      } catch {
        return false;
      }
    })
    .map((s) => s.replace(/\/$/, ''));
}
