import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMomoCreateRequest,
  type MomoIpnBody,
  momoIpnRawSignature,
  signMomoIpn,
  verifyMomoIpn,
} from '#shared/payments/momo.ts';
import {
  buildVnpayPayUrl,
  buildVnpayQueryDr,
  formatVnpDate,
  parseVnpayQuery,
  sanitizeVnpOrderInfo,
  VNPAY_RSP,
  verifyVnpayIpn,
  verifyVnpayQueryDrResponse,
  vnpSign,
  vnpSignData,
} from '#shared/payments/vnpay.ts';
import { escapeHtml, formatVnd, sandboxPage } from '../../local/sandbox-page.ts';

// ---------------------------------------------------------------------------------------------
// Reference implementations written from the gateways' documented algorithms, independently of
// the module under test (same shape as /work/shared/contract/payments.mjs and VNPay's Node sample).
// The hard-coded vectors below were computed once with these functions.
// ---------------------------------------------------------------------------------------------
const refEnc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
const refVnpData = (f: Record<string, string>) =>
  Object.keys(f)
    .sort()
    .map((k) => `${refEnc(k)}=${refEnc(f[k] ?? '')}`)
    .join('&');
const refSha512 = (key: string, s: string) => createHmac('sha512', key).update(Buffer.from(s, 'utf-8')).digest('hex');
const refSha256 = (key: string, s: string) => createHmac('sha256', key).update(Buffer.from(s, 'utf-8')).digest('hex');
/** The IPN query exactly as the acceptance check sends it (with vnp_SecureHashType). */
const refVnpQuery = (f: Record<string, string>, secret: string) =>
  `${refVnpData(f)}&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=${refSha512(secret, refVnpData(f))}`;
const MOMO_IPN_ORDER = [
  'accessKey',
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
] as const;
const refMomoIpn = (
  f: Record<string, string | number>,
  accessKey: string,
  secret: string,
): Record<string, string | number> => {
  const all: Record<string, string | number> = { ...f, accessKey };
  const raw = MOMO_IPN_ORDER.map((k) => `${k}=${all[k]}`).join('&');
  return { ...f, signature: refSha256(secret, raw) };
};

const VNP = { tmnCode: 'MOTCUA01', hashSecret: 'SECRETKEYFORTESTS0123456789ABCDE' };
const MOMO = { partnerCode: 'MOTCUAMOMO', accessKey: 'ACCESSKEY123', secretKey: 'MOMOSECRETKEYFORTESTS0123456789' };

/** An IPN as VNPay sends it, before signing. */
const ipnFields = (): Record<string, string> => ({
  vnp_Amount: '3000000',
  vnp_BankCode: 'NCB',
  vnp_BankTranNo: 'VNP14226112',
  vnp_CardType: 'ATM',
  vnp_OrderInfo: 'Thanh toán lệ phí hồ sơ G09.20-20260609-0092637 (bản sao)!',
  vnp_PayDate: '20260610091530',
  vnp_ResponseCode: '00',
  vnp_TmnCode: 'MOTCUA01',
  vnp_TransactionNo: '14226112',
  vnp_TransactionStatus: '00',
  vnp_TxnRef: 'PAY-20260610-0001',
});
const IPN_SIGN_DATA =
  'vnp_Amount=3000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112&vnp_CardType=ATM' +
  '&vnp_OrderInfo=Thanh+to%C3%A1n+l%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1+G09.20-20260609-0092637+(b%E1%BA%A3n+sao)!' +
  '&vnp_PayDate=20260610091530&vnp_ResponseCode=00&vnp_TmnCode=MOTCUA01&vnp_TransactionNo=14226112' +
  '&vnp_TransactionStatus=00&vnp_TxnRef=PAY-20260610-0001';
const IPN_HASH =
  'e7861848d20398393e1eb06b6665e86777753097730ae06b2d344ea0a08d756f6f51802795a3d684fc7d44e592702238e45162409e3c2a35ab10f63bff7873f0';

const signedIpn = (fields: Record<string, string>, secret = VNP.hashSecret) =>
  parseVnpayQuery(refVnpQuery(fields, secret));

describe('Module: vnpay', () => {
  describe('Function: vnpSignData', () => {
    it('sorts keys and encodes values with encodeURIComponent, space as +', () => {
      expect(vnpSignData(ipnFields())).toBe(IPN_SIGN_DATA);
    });

    it('leaves out vnp_SecureHash, vnp_SecureHashType, undefined values and non-vnp_ keys, keeps empty values', () => {
      const data = vnpSignData({
        vnp_TxnRef: 'A1',
        vnp_SecureHash: 'ab',
        vnp_SecureHashType: 'HmacSHA512',
        vnp_BankCode: '',
        vnp_CardType: undefined,
        utm_source: 'x',
      });
      expect(data).toBe('vnp_BankCode=&vnp_TxnRef=A1');
    });

    it('agrees with the reference encoder on arbitrary Unicode values', () => {
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.string({ minLength: 1, maxLength: 12 }).map((s) => `vnp_${s}`),
            fc.string({ unit: 'grapheme', maxLength: 30 }),
          ),
          (fields) => {
            expect(vnpSignData(fields)).toBe(refVnpData(fields));
          },
        ),
      );
    });
  });

  describe('Function: vnpSign', () => {
    it('matches the known-answer vector computed with the reference implementation', () => {
      expect(vnpSign(ipnFields(), VNP.hashSecret)).toBe(IPN_HASH);
    });

    // Public vector: github.com/lehuygiang28/vnpay (the `vnpay` npm library),
    // test/verify-ipn-call.test.ts, secret `test_secret`. A third-party library's fixture, not VNPay's own.
    it.each([
      [
        '00',
        '649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895',
      ],
      [
        '99',
        '503194f6d93b57b357b2d1d09742565e67e86d771352c5dca4fc8d39df3d392c6b3809add9405f97cfb9631f445e36c80656cfbf47eac67d97fa165865c13e1b',
      ],
    ])('matches the public vnpay-library vector with vnp_ResponseCode=%s', (responseCode, hash) => {
      const query = {
        vnp_Amount: '1000000',
        vnp_BankCode: 'NCB',
        vnp_BankTranNo: 'VNP14422574',
        vnp_CardType: 'ATM',
        vnp_OrderInfo: 'Thanh toan don hang 2024-05-21T02:17:31.249Z',
        vnp_PayDate: '20240521091806',
        vnp_ResponseCode: responseCode,
        vnp_TmnCode: 'TEST_TMN_CODE',
        vnp_TransactionNo: '14422574',
        vnp_TransactionStatus: '00',
        vnp_TxnRef: '1716257871703',
      };
      expect(vnpSign(query, 'test_secret')).toBe(hash);
      const verified = verifyVnpayIpn(
        { ...query, vnp_SecureHash: hash },
        { tmnCode: 'TEST_TMN_CODE', hashSecret: 'test_secret' },
      );
      expect(verified).toMatchObject({ ok: true, amountVnd: 10000, success: responseCode === '00' });
    });
  });

  describe('Function: formatVnpDate', () => {
    it('writes yyyyMMddHHmmss in GMT+7 whatever the host zone', () => {
      expect(formatVnpDate(new Date('2026-06-10T02:15:30Z'))).toBe('20260610091530');
      expect(formatVnpDate(new Date('2026-12-31T17:30:00Z'))).toBe('20270101003000');
    });

    it('refuses an invalid date', () => {
      expect(() => formatVnpDate(new Date('nope'))).toThrow(RangeError);
    });
  });

  describe('Function: buildVnpayPayUrl', () => {
    const base = {
      baseUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
      tmnCode: VNP.tmnCode,
      hashSecret: VNP.hashSecret,
      txnRef: 'PAY-20260610-0001',
      amountVnd: 30000,
      orderInfo: 'Thanh toán lệ phí hồ sơ G09.20-20260609-0092637',
      returnUrl: 'https://motcua.example.vn/thanh-toan/ket-qua?from=vnpay',
      ipAddr: '203.113.1.10',
      createdAt: new Date('2026-06-10T02:15:30Z'),
    };

    it('builds the known-answer URL (2.1.0, pay, amount x100, VND, vn, GMT+7 dates, 15 min expiry)', () => {
      const expectedQuery =
        'vnp_Amount=3000000&vnp_Command=pay&vnp_CreateDate=20260610091530&vnp_CurrCode=VND' +
        '&vnp_ExpireDate=20260610093030&vnp_IpAddr=203.113.1.10&vnp_Locale=vn' +
        '&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+G09.20-20260609-0092637&vnp_OrderType=other' +
        '&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example.vn%2Fthanh-toan%2Fket-qua%3Ffrom%3Dvnpay' +
        '&vnp_TmnCode=MOTCUA01&vnp_TxnRef=PAY-20260610-0001&vnp_Version=2.1.0';
      const expectedHash =
        'eebadbac53a10139d9d6e38afc74a79e3269d89b3f5846eacc71a72b567f1557f4c4552a9c86ac0bd0a42ba951ddce81f5553be0a6b5a1cc756f4acbc5c51308';
      expect(buildVnpayPayUrl(base)).toBe(`${base.baseUrl}?${expectedQuery}&vnp_SecureHash=${expectedHash}`);
    });

    it('keeps * and other characters the encoders disagree on out of vnp_OrderInfo', () => {
      const url = new URL(buildVnpayPayUrl({ ...base, orderInfo: "Phí *khẩn* (x2) ~ 'đặc biệt'!" }));
      expect(url.searchParams.get('vnp_OrderInfo')).toBe('Phi khan x2 dac biet');
      expect(url.search).not.toMatch(/[*()!'~]/);
    });

    it('honours locale, expiry, bank code and an existing query in the base URL', () => {
      const url = new URL(
        buildVnpayPayUrl({
          ...base,
          baseUrl: 'https://pay.example/vpcpay.html?x=1',
          locale: 'en',
          expiresInMinutes: 60,
          bankCode: 'VNPAYQR',
        }),
      );
      expect(url.searchParams.get('x')).toBe('1');
      expect(url.searchParams.get('vnp_Locale')).toBe('en');
      expect(url.searchParams.get('vnp_ExpireDate')).toBe('20260610101530');
      expect(url.searchParams.get('vnp_BankCode')).toBe('VNPAYQR');
    });

    it('round-trips: what it builds verifies with the same secret', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 90_000_000_000 }),
          fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
          (amountVnd, txnRef, text) => {
            const orderInfo = `Le phi ${text}`;
            const url = new URL(buildVnpayPayUrl({ ...base, amountVnd, txnRef, orderInfo }));
            const result = verifyVnpayIpn(parseVnpayQuery(url.search.slice(1)), VNP);
            expect(result).toEqual({ ok: true, txnRef, amountVnd, success: false });
          },
        ),
      );
    });

    it.each([0, -1000, 1000.5, Number.NaN, 2 ** 53])('refuses the amount %s', (amountVnd) => {
      expect(() => buildVnpayPayUrl({ ...base, amountVnd })).toThrow(RangeError);
    });

    it('refuses a transaction reference VNPay would not accept', () => {
      expect(() => buildVnpayPayUrl({ ...base, txnRef: 'PAY 1' })).toThrow(RangeError);
      expect(() => buildVnpayPayUrl({ ...base, txnRef: '' })).toThrow(RangeError);
    });

    it('refuses an order text with nothing left after sanitizing', () => {
      expect(() => buildVnpayPayUrl({ ...base, orderInfo: '***' })).toThrow(RangeError);
    });
  });

  describe('Function: sanitizeVnpOrderInfo', () => {
    it('removes diacritics, đ and characters outside the safe set, collapses spaces, caps at 255', () => {
      expect(sanitizeVnpOrderInfo('  Đăng ký   hộ tịch * số 12/2026 ')).toBe('Dang ky ho tich so 12 2026');
      expect(sanitizeVnpOrderInfo('a'.repeat(300))).toHaveLength(255);
    });

    it('never leaves a character outside A-Z a-z 0-9 space _ . , : -', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
          expect(sanitizeVnpOrderInfo(s)).toMatch(/^[A-Za-z0-9 _.,:-]*$/);
        }),
      );
    });
  });

  describe('Function: verifyVnpayIpn', () => {
    it('accepts the query exactly as the acceptance check signs and sends it', () => {
      expect(verifyVnpayIpn(signedIpn(ipnFields()), VNP)).toEqual({
        ok: true,
        txnRef: 'PAY-20260610-0001',
        amountVnd: 30000,
        success: true,
        transactionNo: '14226112',
        bankCode: 'NCB',
        payDate: '20260610091530',
      });
    });

    it('accepts the known-answer hash with or without vnp_SecureHashType', () => {
      const withType = { ...ipnFields(), vnp_SecureHashType: 'HmacSHA512', vnp_SecureHash: IPN_HASH };
      const { vnp_SecureHashType: _dropped, ...withoutType } = withType;
      expect(verifyVnpayIpn(withType, VNP).ok).toBe(true);
      expect(verifyVnpayIpn(withoutType, VNP).ok).toBe(true);
    });

    it('accepts an uppercase hash', () => {
      expect(verifyVnpayIpn({ ...ipnFields(), vnp_SecureHash: IPN_HASH.toUpperCase() }, VNP).ok).toBe(true);
    });

    it('refuses a tampered amount as bad-signature', () => {
      const query = { ...signedIpn(ipnFields()), vnp_Amount: '3100000' };
      expect(verifyVnpayIpn(query, VNP)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses a query signed with another secret as bad-signature', () => {
      expect(verifyVnpayIpn(signedIpn(ipnFields(), 'WRONGSECRET'), VNP)).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('refuses a missing, empty, truncated or non-hex hash as bad-signature', () => {
      const { vnp_SecureHash, ...unsigned } = signedIpn(ipnFields());
      expect(verifyVnpayIpn(unsigned, VNP)).toEqual({ ok: false, reason: 'bad-signature' });
      for (const bad of ['', vnp_SecureHash?.slice(0, 127), `${vnp_SecureHash?.slice(0, 127)}g`]) {
        expect(verifyVnpayIpn({ ...unsigned, vnp_SecureHash: bad }, VNP)).toEqual({
          ok: false,
          reason: 'bad-signature',
        });
      }
    });

    it('refuses a correctly signed query for another terminal as bad-signature', () => {
      const query = signedIpn({ ...ipnFields(), vnp_TmnCode: 'OTHER001' });
      expect(verifyVnpayIpn(query, VNP)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it.each([
      ['a decimal amount', { vnp_Amount: '30000.00' }],
      ['a negative amount', { vnp_Amount: '-3000000' }],
      ['an empty amount', { vnp_Amount: '' }],
      ['an empty transaction reference', { vnp_TxnRef: '' }],
    ])('refuses a correctly signed query with %s as malformed', (_what, change) => {
      expect(verifyVnpayIpn(signedIpn({ ...ipnFields(), ...change }), VNP)).toEqual({ ok: false, reason: 'malformed' });
    });

    it('answers a correctly signed amount not divisible by 100 as an invalid amount (04), not malformed (99)', () => {
      expect(verifyVnpayIpn(signedIpn({ ...ipnFields(), vnp_Amount: '3000050' }), VNP)).toEqual({
        ok: false,
        reason: 'invalid-amount',
      });
    });

    it('refuses a correctly signed query without amount or reference as malformed', () => {
      const { vnp_Amount: _a, ...noAmount } = ipnFields();
      const { vnp_TxnRef: _t, ...noRef } = ipnFields();
      expect(verifyVnpayIpn(signedIpn(noAmount), VNP)).toEqual({ ok: false, reason: 'malformed' });
      expect(verifyVnpayIpn(signedIpn(noRef), VNP)).toEqual({ ok: false, reason: 'malformed' });
    });

    it.each([
      ['24', '02'],
      ['00', '02'],
      ['00', '01'],
      ['51', '00'],
    ])('reports no success for vnp_ResponseCode=%s with vnp_TransactionStatus=%s', (responseCode, status) => {
      const query = signedIpn({ ...ipnFields(), vnp_ResponseCode: responseCode, vnp_TransactionStatus: status });
      expect(verifyVnpayIpn(query, VNP)).toMatchObject({ ok: true, success: false });
    });

    it('fails whenever any single signed field is tampered with', () => {
      const query = signedIpn(ipnFields());
      const keys = Object.keys(ipnFields());
      fc.assert(
        fc.property(fc.constantFrom(...keys), fc.string({ unit: 'grapheme', maxLength: 20 }), (key, value) => {
          fc.pre(query[key] !== value);
          expect(verifyVnpayIpn({ ...query, [key]: value }, VNP)).toEqual({ ok: false, reason: 'bad-signature' });
        }),
      );
    });

    it('fails when a signed field is removed or an unsigned vnp_ field is added', () => {
      const query = signedIpn(ipnFields());
      fc.assert(
        fc.property(fc.constantFrom(...Object.keys(ipnFields())), (key) => {
          const { [key]: _removed, ...rest } = query;
          expect(verifyVnpayIpn(rest, VNP).ok).toBe(false);
        }),
      );
      expect(verifyVnpayIpn({ ...query, vnp_Extra: 'x' }, VNP).ok).toBe(false);
    });

    it('verifies IPNs with arbitrary Unicode order texts sent through a real query string', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (orderInfo) => {
          const query = signedIpn({ ...ipnFields(), vnp_OrderInfo: orderInfo });
          expect(verifyVnpayIpn(query, VNP).ok).toBe(true);
        }),
      );
    });
  });

  describe('Function: parseVnpayQuery', () => {
    it('decodes + as space and UTF-8 escapes, keeping the first of repeated keys', () => {
      expect(parseVnpayQuery('vnp_OrderInfo=Thanh+to%C3%A1n+a%2Bb&vnp_TxnRef=A&vnp_TxnRef=B')).toEqual({
        vnp_OrderInfo: 'Thanh toán a+b',
        vnp_TxnRef: 'A',
      });
    });
  });

  describe('Constant: VNPAY_RSP', () => {
    it("holds VNPay's IPN reply codes and messages", () => {
      expect(VNPAY_RSP).toEqual({
        confirmed: { RspCode: '00', Message: 'Confirm Success' },
        orderNotFound: { RspCode: '01', Message: 'Order not found' },
        alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
        invalidAmount: { RspCode: '04', Message: 'invalid amount' },
        invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
        unknown: { RspCode: '99', Message: 'Unknown error' },
      });
    });
  });

  describe('Function: buildVnpayQueryDr', () => {
    const opts = {
      tmnCode: VNP.tmnCode,
      hashSecret: VNP.hashSecret,
      requestId: 'REQ-20260610-1',
      txnRef: 'PAY-20260610-0001',
      transactionDate: new Date('2026-06-10T02:15:30Z'),
      createdAt: new Date('2026-06-10T05:00:00Z'),
      ipAddr: '10.0.0.1',
      orderInfo: 'Doi soat PAY-20260610-0001',
    };

    it('hashes RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo (known answer)', () => {
      // HMAC-SHA512 of 'REQ-20260610-1|2.1.0|querydr|MOTCUA01|PAY-20260610-0001|20260610091530|20260610120000|10.0.0.1|Doi soat PAY-20260610-0001'
      expect(buildVnpayQueryDr(opts)).toEqual({
        vnp_RequestId: 'REQ-20260610-1',
        vnp_Version: '2.1.0',
        vnp_Command: 'querydr',
        vnp_TmnCode: 'MOTCUA01',
        vnp_TxnRef: 'PAY-20260610-0001',
        vnp_OrderInfo: 'Doi soat PAY-20260610-0001',
        vnp_TransactionDate: '20260610091530',
        vnp_CreateDate: '20260610120000',
        vnp_IpAddr: '10.0.0.1',
        vnp_SecureHash:
          'd5bdb541b259ce48640b7418a231d5b2decbbbe47b28505671d27fba3ce0949db5f36d6bef26316ada8cc35ec1379dc63e68c5f9acfb2e7b40b108ac7031b242',
      });
    });

    it('takes the transaction date as a string and carries the transaction number outside the hash', () => {
      const a = buildVnpayQueryDr(opts);
      const b = buildVnpayQueryDr({ ...opts, transactionDate: '20260610091530', transactionNo: '14226112' });
      expect(b.vnp_TransactionNo).toBe('14226112');
      expect(b.vnp_SecureHash).toBe(a.vnp_SecureHash);
      expect(() => buildVnpayQueryDr({ ...opts, transactionDate: '2026-06-10' })).toThrow(RangeError);
    });
  });

  describe('Function: verifyVnpayQueryDrResponse', () => {
    const answer = () => {
      const f: Record<string, string> = {
        vnp_ResponseId: 'RES1',
        vnp_Command: 'querydr',
        vnp_ResponseCode: '00',
        vnp_Message: 'QueryDR Success',
        vnp_TmnCode: 'MOTCUA01',
        vnp_TxnRef: 'PAY-20260610-0001',
        vnp_Amount: '3000000',
        vnp_BankCode: 'NCB',
        vnp_PayDate: '20260610091600',
        vnp_TransactionNo: '14226112',
        vnp_TransactionType: '01',
        vnp_TransactionStatus: '00',
        vnp_OrderInfo: 'Thanh toan',
      };
      const data = [
        ...[
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
        ].map((k) => f[k]),
        '',
        '',
      ].join('|');
      return { ...f, vnp_SecureHash: refSha512(VNP.hashSecret, data) };
    };

    it('accepts a correctly signed answer and reads the transaction', () => {
      expect(verifyVnpayQueryDrResponse(answer(), VNP)).toEqual({
        ok: true,
        responseCode: '00',
        txnRef: 'PAY-20260610-0001',
        amountVnd: 30000,
        transactionStatus: '00',
        success: true,
        transactionNo: '14226112',
        payDate: '20260610091600',
      });
    });

    it('refuses a tampered answer, a foreign terminal and a non-object', () => {
      expect(verifyVnpayQueryDrResponse({ ...answer(), vnp_TransactionStatus: '01' }, VNP)).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyVnpayQueryDrResponse(answer(), { ...VNP, tmnCode: 'OTHER001' })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyVnpayQueryDrResponse('nope', VNP)).toEqual({ ok: false, reason: 'malformed' });
    });
  });
});

describe('Module: momo', () => {
  /** An IPN as MoMo sends it, before signing (accessKey is signed but not sent). */
  const ipnFields = (): Record<string, string | number> => ({
    partnerCode: 'MOTCUAMOMO',
    orderId: 'PAY-20260610-0002',
    requestId: 'REQ-20260610-0002',
    amount: 30000,
    orderInfo: 'Thanh toán lệ phí hồ sơ',
    orderType: 'momo_wallet',
    transId: 4088878653,
    resultCode: 0,
    message: 'Successful.',
    payType: 'qr',
    responseTime: 1781057730000,
    extraData: '',
  });
  const IPN_SIGNATURE = '7667c7d862d8c29f2bbc6ee18a98bc5707007d6940eb383978eead9c20258668';
  const signed = (f = ipnFields(), cfg = MOMO) => refMomoIpn(f, cfg.accessKey, cfg.secretKey);

  describe('Function: momoIpnRawSignature', () => {
    it('joins the thirteen fields in MoMo’s order, raw', () => {
      expect(momoIpnRawSignature(signMomoIpn({ orderId: 'o', requestId: 'r', amount: 1 }, MOMO), 'AK')).toMatch(
        /^accessKey=AK&amount=1&extraData=&message=Successful\.&orderId=o&orderInfo=&orderType=momo_wallet&partnerCode=MOTCUAMOMO&payType=qr&requestId=r&responseTime=\d+&resultCode=0&transId=\d+$/,
      );
    });
  });

  describe('Function: verifyMomoIpn', () => {
    it('accepts the known-answer vector', () => {
      const body = { ...ipnFields(), signature: IPN_SIGNATURE };
      expect(verifyMomoIpn(body, MOMO)).toEqual({
        ok: true,
        orderId: 'PAY-20260610-0002',
        requestId: 'REQ-20260610-0002',
        amountVnd: 30000,
        success: true,
        transId: '4088878653',
        resultCode: 0,
      });
    });

    it('accepts the body exactly as the acceptance check builds it, after a JSON round trip', () => {
      const body = JSON.parse(JSON.stringify(signed())) as unknown;
      expect(verifyMomoIpn(body, MOMO).ok).toBe(true);
    });

    it('accepts an uppercase signature and numbers sent as strings', () => {
      const f = {
        ...ipnFields(),
        amount: '30000',
        transId: '4088878653',
        resultCode: '0',
        responseTime: '1781057730000',
      };
      expect(verifyMomoIpn({ ...f, signature: IPN_SIGNATURE.toUpperCase() }, MOMO).ok).toBe(true);
    });

    it('treats an absent extraData as the empty string', () => {
      const { extraData: _e, ...rest } = ipnFields();
      expect(verifyMomoIpn({ ...rest, signature: IPN_SIGNATURE }, MOMO).ok).toBe(true);
    });

    it('reports no success for a non-zero resultCode', () => {
      expect(verifyMomoIpn(signed({ ...ipnFields(), resultCode: 1006 }), MOMO)).toMatchObject({
        ok: true,
        success: false,
        resultCode: 1006,
      });
    });

    it('refuses a tampered amount, a wrong secret and a missing or non-hex signature as bad-signature', () => {
      expect(verifyMomoIpn({ ...signed(), amount: 31000 }, MOMO)).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifyMomoIpn(signed(ipnFields(), { ...MOMO, secretKey: 'forged' }), MOMO)).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyMomoIpn(signed(ipnFields(), { ...MOMO, accessKey: 'other' }), MOMO)).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyMomoIpn({ ...signed(), signature: '' }, MOMO)).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifyMomoIpn({ ...signed(), signature: 'z'.repeat(64) }, MOMO)).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('refuses a correctly signed IPN for another partner code', () => {
      const body = signed({ ...ipnFields(), partnerCode: 'SOMEONEELSE' });
      expect(verifyMomoIpn(body, MOMO)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it.each([
      ['null', null],
      ['a string', 'partnerCode=MOTCUAMOMO'],
      ['an array', []],
      ['a body without signature', ipnFields()],
      ['a body without orderId', (({ orderId: _o, ...r }) => ({ ...r, signature: IPN_SIGNATURE }))(ipnFields())],
      ['a boolean amount', { ...ipnFields(), amount: true, signature: IPN_SIGNATURE }],
      ['a fractional amount', { ...ipnFields(), amount: 300.5, signature: IPN_SIGNATURE }],
      ['a non-numeric resultCode', { ...ipnFields(), resultCode: 'ok', signature: IPN_SIGNATURE }],
    ])('refuses %s as malformed', (_what, body) => {
      expect(verifyMomoIpn(body, MOMO)).toEqual({ ok: false, reason: 'malformed' });
    });

    it('refuses a correctly signed zero amount as malformed', () => {
      expect(verifyMomoIpn(signed({ ...ipnFields(), amount: 0 }), MOMO)).toEqual({ ok: false, reason: 'malformed' });
    });

    it('fails whenever any single signed field is tampered with', () => {
      const body = signed();
      const textKeys = [
        'partnerCode',
        'orderId',
        'requestId',
        'orderInfo',
        'orderType',
        'message',
        'payType',
        'extraData',
      ];
      const numberKeys = ['amount', 'transId', 'resultCode', 'responseTime'];
      fc.assert(
        fc.property(
          fc.oneof(
            fc.tuple(fc.constantFrom(...textKeys), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 })),
            fc.tuple(fc.constantFrom(...numberKeys), fc.integer({ min: 1, max: 2_000_000_000 })),
          ),
          ([key, value]) => {
            fc.pre(String(body[key]) !== String(value));
            expect(verifyMomoIpn({ ...body, [key]: value }, MOMO)).toEqual({ ok: false, reason: 'bad-signature' });
          },
        ),
      );
    });
  });

  describe('Function: buildMomoCreateRequest', () => {
    const opts = {
      ...MOMO,
      orderId: 'PAY-20260610-0002',
      requestId: 'REQ-20260610-0002',
      amountVnd: 30000,
      orderInfo: 'Thanh toán lệ phí hồ sơ',
      redirectUrl: 'https://motcua.example.vn/thanh-toan/ket-qua',
      ipnUrl: 'https://api.motcua.example.vn/v1/payments/momo/ipn',
    };

    it('signs accessKey..requestType in MoMo’s order (known answer) and does not send the access key', () => {
      const { body, rawSignature } = buildMomoCreateRequest(opts);
      expect(rawSignature).toBe(
        'accessKey=ACCESSKEY123&amount=30000&extraData=&ipnUrl=https://api.motcua.example.vn/v1/payments/momo/ipn' +
          '&orderId=PAY-20260610-0002&orderInfo=Thanh toán lệ phí hồ sơ&partnerCode=MOTCUAMOMO' +
          '&redirectUrl=https://motcua.example.vn/thanh-toan/ket-qua&requestId=REQ-20260610-0002&requestType=captureWallet',
      );
      expect(body).toEqual({
        partnerCode: 'MOTCUAMOMO',
        requestId: 'REQ-20260610-0002',
        amount: 30000,
        orderId: 'PAY-20260610-0002',
        orderInfo: 'Thanh toán lệ phí hồ sơ',
        redirectUrl: 'https://motcua.example.vn/thanh-toan/ket-qua',
        ipnUrl: 'https://api.motcua.example.vn/v1/payments/momo/ipn',
        requestType: 'captureWallet',
        extraData: '',
        lang: 'vi',
        signature: '0f4066e420917bd9ce261c1cb0f909c166f56020c06f745c5df45200bb1a5a8b',
      });
    });

    it('carries requestType and extraData into both the body and the signature', () => {
      const { body, rawSignature } = buildMomoCreateRequest({
        ...opts,
        requestType: 'payWithATM',
        extraData: 'eyJhIjoxfQ==',
      });
      expect(rawSignature).toContain('&extraData=eyJhIjoxfQ==&');
      expect(rawSignature.endsWith('&requestType=payWithATM')).toBe(true);
      expect(body.signature).toBe(refSha256(MOMO.secretKey, rawSignature));
    });

    it.each([999, 50_000_001, 1000.5])('refuses the amount %s', (amountVnd) => {
      expect(() => buildMomoCreateRequest({ ...opts, amountVnd })).toThrow(RangeError);
    });

    it('refuses order ids MoMo would refuse', () => {
      for (const orderId of ['PAY 1', '-PAY', 'PAY-', 'a'.repeat(51)]) {
        expect(() => buildMomoCreateRequest({ ...opts, orderId })).toThrow(RangeError);
      }
    });
  });

  describe('Function: signMomoIpn', () => {
    it('produces a body that verifies, with sandbox defaults', () => {
      const body: MomoIpnBody = signMomoIpn(
        { orderId: 'PAY-1', requestId: 'REQ-1', amount: 30000, responseTime: 1781057730000 },
        MOMO,
      );
      expect(body).toMatchObject({
        partnerCode: 'MOTCUAMOMO',
        orderType: 'momo_wallet',
        resultCode: 0,
        transId: 1781057730000,
      });
      expect(body).not.toHaveProperty('accessKey');
      expect(verifyMomoIpn(JSON.parse(JSON.stringify(body)), MOMO)).toMatchObject({ ok: true, success: true });
    });

    it('signs a cancelled payment that verifies without success', () => {
      const body = signMomoIpn({ orderId: 'PAY-1', requestId: 'REQ-1', amount: 30000, resultCode: 1006 }, MOMO);
      expect(verifyMomoIpn(body, MOMO)).toMatchObject({ ok: true, success: false, resultCode: 1006 });
    });

    it('matches the reference signer', () => {
      const body = signMomoIpn(
        {
          orderId: 'PAY-20260610-0002',
          requestId: 'REQ-20260610-0002',
          amount: 30000,
          orderInfo: 'Thanh toán lệ phí hồ sơ',
          transId: 4088878653,
          responseTime: 1781057730000,
        },
        MOMO,
      );
      expect(body.signature).toBe(IPN_SIGNATURE);
    });
  });
});

describe('Module: sandbox-page', () => {
  const order = { orderId: 'PAY-20260610-0001', amountVnd: 1234567, orderInfo: 'Hồ sơ G09.20-20260609-0092637' };

  it('shows the order and posts orderId with outcome success or cancel to the action', () => {
    const html = sandboxPage({ gateway: 'vnpay', order, action: '/sandbox/vnpay/complete' });
    expect(html).toContain('<form method="post" action="/sandbox/vnpay/complete">');
    expect(html).toContain('<input type="hidden" name="orderId" value="PAY-20260610-0001">');
    expect(html).toContain('name="outcome" value="success">Thanh toán thành công</button>');
    expect(html).toContain('name="outcome" value="cancel">Hủy giao dịch</button>');
    expect(html).toContain('1.234.567 đồng');
    expect(html).toContain('VNPay');
    expect(html).toContain('<html lang="vi">');
  });

  it('is self-contained: no script, no external resource, no URL but the action', () => {
    for (const gateway of ['vnpay', 'momo'] as const) {
      const html = sandboxPage({ gateway, order, action: '/sandbox/complete' });
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\//i);
    }
  });

  it('escapes every interpolated value', () => {
    const evil = `"><script>alert('x')</script>&`;
    const html = sandboxPage({
      gateway: 'momo',
      order: { orderId: evil, amountVnd: 30000, orderInfo: evil },
      action: '/pay?a=1&b="2"',
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    expect(html).toContain('action="/pay?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('MoMo');
  });

  it('asks for an order ID when no order is given', () => {
    const html = sandboxPage({ gateway: 'momo', action: 'http://127.0.0.1:3000/sandbox/momo/complete' });
    expect(html).toContain('<input id="orderId" type="text" name="orderId" required');
    expect(html).toContain('value="success"');
  });

  it.each(['javascript:alert(1)', '//evil.example/x', 'data:text/html,x', ''])('refuses the action %s', (action) => {
    expect(() => sandboxPage({ gateway: 'vnpay', order, action })).toThrow(TypeError);
  });

  it('escapes & < > " and \' and formats đồng the Vietnamese way', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(formatVnd(30000)).toBe('30.000 đồng');
  });
});
