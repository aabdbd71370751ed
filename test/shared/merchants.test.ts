import { describe, expect, it } from 'vitest';
import { GatewayConfigError, GatewayEndpointError, MerchantSettingsError } from '#shared/errors.ts';
import {
  callbackMerchants,
  GATEWAY_ENDPOINTS,
  merchantOf,
  parseGatewayEndpoints,
  parseMerchantSettings,
  parseOrigins,
  returnUrlProblem,
} from '#shared/payments/merchants.ts';

const FIVE = {
  VNPAY_TMN_CODE: 'DEFAULTTMN',
  VNPAY_HASH_SECRET: 'defaultsecret',
  MOMO_PARTNER_CODE: 'MOMODEFAULT',
  MOMO_ACCESS_KEY: 'acc',
  MOMO_SECRET_KEY: 'sec',
};

describe('Function: parseMerchantSettings', () => {
  it('gives the five variables to every ward without its own merchant, and a ward its own', () => {
    const s = parseMerchantSettings({
      ...FIVE,
      WARD_MERCHANTS: JSON.stringify({ quangtrung: { vnpay: { tmnCode: 'QTTMN', hashSecret: 'qtsecret' } } }),
    });
    expect(merchantOf(s, 'bimson', 'vnpay')).toEqual({ tmnCode: 'DEFAULTTMN', hashSecret: 'defaultsecret' });
    expect(merchantOf(s, 'quangtrung', 'vnpay')).toEqual({ tmnCode: 'QTTMN', hashSecret: 'qtsecret' });
    // A ward that takes only VNPay has no MoMo merchant: its fees never settle into the shared account.
    expect(merchantOf(s, 'quangtrung', 'momo')).toBeUndefined();
    expect(merchantOf(s, 'bimson', 'momo')).toMatchObject({ partnerCode: 'MOMODEFAULT' });
  });

  it('lets a callback settle only the wards of the merchant that signed it', () => {
    const s = parseMerchantSettings({
      ...FIVE,
      WARD_MERCHANTS: JSON.stringify({ quangtrung: { vnpay: { tmnCode: 'QTTMN', hashSecret: 'qtsecret' } } }),
    });
    const [qt] = callbackMerchants(s, 'vnpay', 'QTTMN');
    expect([qt?.serves('quangtrung'), qt?.serves('bimson')]).toEqual([true, false]);
    const [fallback] = callbackMerchants(s, 'vnpay', 'DEFAULTTMN');
    expect([fallback?.serves('bimson'), fallback?.serves('quangtrung'), fallback?.serves('newward')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(callbackMerchants(s, 'vnpay', 'UNKNOWN')).toEqual([]);
  });

  it('needs no MoMo variables when every ward takes VNPay only, but refuses a half-set gateway', () => {
    expect(parseMerchantSettings({ VNPAY_TMN_CODE: 'T', VNPAY_HASH_SECRET: 's' }).fallback.momo).toBeUndefined();
    const err = (() => {
      try {
        parseMerchantSettings({ VNPAY_TMN_CODE: 'T', VNPAY_HASH_SECRET: 's', MOMO_PARTNER_CODE: 'P' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayConfigError);
    expect((err as GatewayConfigError).missing).toEqual(['MOMO_ACCESS_KEY', 'MOMO_SECRET_KEY']);
    expect(() => parseMerchantSettings({})).toThrow(GatewayConfigError);
  });

  it('refuses WARD_MERCHANTS that is not JSON, misses a key or keeps a placeholder, naming where and never a value', () => {
    for (const bad of [
      '{not json',
      JSON.stringify({ bimson: { vnpay: { tmnCode: 'T' } } }),
      JSON.stringify({ bimson: { vnpay: { tmnCode: 'T', hashSecret: 'REPLACE_ME' } } }),
      JSON.stringify({ bimson: { paypal: {} } }),
    ]) {
      expect(() => parseMerchantSettings({ ...FIVE, WARD_MERCHANTS: bad })).toThrow(MerchantSettingsError);
    }
    try {
      parseMerchantSettings({
        ...FIVE,
        WARD_MERCHANTS: JSON.stringify({ bimson: { vnpay: { tmnCode: 'SECRETCODE' } } }),
      });
    } catch (e) {
      expect((e as Error).message).toContain('bimson.vnpay.hashSecret');
      expect((e as Error).message).not.toContain('SECRETCODE');
    }
  });
});

describe('Function: parseGatewayEndpoints', () => {
  it('takes the sandbox by default and the production URLs in production', () => {
    expect(parseGatewayEndpoints({})).toEqual({ mode: 'sandbox', endpoints: GATEWAY_ENDPOINTS.sandbox });
    const prod = parseGatewayEndpoints({ PAYMENT_GATEWAY_MODE: 'production' });
    expect(prod.endpoints.vnpay.payUrl).toBe('https://pay.vnpay.vn/vpcpay.html');
    expect(prod.endpoints.momo.createUrl).toBe('https://payment.momo.vn/v2/gateway/api/create');
  });

  it('lets each URL be overridden, and refuses sandbox hosts, http and credentials in production', () => {
    expect(
      parseGatewayEndpoints({
        PAYMENT_GATEWAY_MODE: 'production',
        VNPAY_PAY_URL: 'https://vnpayment.vn/paymentv2/vpcpay.html',
      }).endpoints.vnpay.payUrl,
    ).toBe('https://vnpayment.vn/paymentv2/vpcpay.html');
    for (const [k, v] of [
      ['VNPAY_PAY_URL', 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html'],
      ['MOMO_QUERY_URL', 'https://test-payment.momo.vn/v2/gateway/api/query'],
      ['VNPAY_API_URL', 'http://merchant.vnpay.vn/merchant_webapi/api/transaction'],
      ['MOMO_CREATE_URL', 'https://u:p@payment.momo.vn/v2/gateway/api/create'],
    ] as const) {
      expect(() => parseGatewayEndpoints({ PAYMENT_GATEWAY_MODE: 'production', [k]: v })).toThrow(GatewayEndpointError);
    }
    expect(() => parseGatewayEndpoints({ PAYMENT_GATEWAY_MODE: 'live' })).toThrow(GatewayEndpointError);
  });
});

describe('Function: returnUrlProblem', () => {
  const origins = parseOrigins('https://dichvucong.bimson.vn, http://localhost:5173, not an origin');
  it('accepts https pages of configured origins (and a listed loopback front end)', () => {
    expect(origins).toEqual(['https://dichvucong.bimson.vn', 'http://localhost:5173']);
    expect(
      returnUrlProblem('https://dichvucong.bimson.vn/ho-so/ket-qua?ma=H56.27.01-20260310-0007', origins),
    ).toBeUndefined();
    expect(returnUrlProblem('http://localhost:5173/x', origins)).toBeUndefined();
  });
  it.each([
    'http://dichvucong.bimson.vn/x',
    'https://dichvucong.bimson.vn.evil.example/x',
    'https://a:b@dichvucong.bimson.vn/x',
    "https://dichvucong.bimson.vn/x'y",
    'https://dichvucong.bimson.vn/x!',
    'https://dichvucong.bimson.vn/x*',
    'https://dichvucong.bimson.vn/x+y',
    'https://dichvucong.bimson.vn/x%20y',
  ])('refuses %s', (url) => {
    expect(returnUrlProblem(url, origins)).toBeTypeOf('string');
  });
});
