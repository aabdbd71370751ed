/**
 * Payments that can go live, over HTTP against the local servers: callbacks signed by an
 * independent VNPay implementation (the `vnpay` npm library's own signing: URLSearchParams
 * encoding, empty fields left out) with values VNPay's encoders write differently (`( ) ~ ! '`),
 * the PHP sample's form (empty fields kept), a signed amount that is not a whole number of đồng
 * (04), one merchant per ward (a ward's callback cannot confirm another ward's payment; a ward that
 * takes only VNPay is not offered MoMo), and return URLs limited to the configured front ends.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPaymentUrlSearchParams, calculateSecureHash } from 'vnpay/utils';
import { applicant, type Stack, startStack } from '../helpers/stack.ts';

const DEFAULT = { tmnCode: 'DEFAULTTMN', secret: `D${randomBytes(16).toString('hex')}` };
const QT = { tmnCode: 'QTTMN001', secret: `Q${randomBytes(16).toString('hex')}` };
process.env.VNPAY_TMN_CODE = DEFAULT.tmnCode;
process.env.VNPAY_HASH_SECRET = DEFAULT.secret;
process.env.MOMO_PARTNER_CODE = 'MOMODEFAULT';
process.env.MOMO_ACCESS_KEY = `a${randomBytes(6).toString('hex')}`;
process.env.MOMO_SECRET_KEY = randomBytes(16).toString('hex');
// Quang Trung has its own VNPay merchant and takes no MoMo; Bỉm Sơn uses the five variables.
process.env.WARD_MERCHANTS = JSON.stringify({ quangtrung: { vnpay: { tmnCode: QT.tmnCode, hashSecret: QT.secret } } });
process.env.FRONTEND_ORIGINS = 'https://dichvucong.bimson.test';

let s: Stack;
let citizen: string;
const staff: Record<string, { receiver: string; specialist: string }> = {};
const feeProcedure: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  s = await startStack();
  citizen = await s.token('citizen', 'citizen-interop');
  for (const ward of ['bimson', 'quangtrung']) {
    staff[ward] = {
      receiver: await s.token('receiver', `receiver-${ward}`, ward),
      specialist: await s.token('specialist', `specialist-${ward}`, ward),
    };
    const list = await s.call('GET', `/v1/procedures?ward=${ward}`);
    feeProcedure[ward] = list.json.items.find(
      (p: any) => p.fee > 0 && p.channels.some((c: string) => c !== 'counter'),
    ).id;
  }
});
afterAll(async () => {
  await s?.stop();
  delete process.env.WARD_MERCHANTS;
  delete process.env.FRONTEND_ORIGINS;
});

async function paymentOf(ward: string, gateway = 'vnpay', body: object = {}) {
  n++;
  const created = await s.call('POST', '/v1/dossiers', {
    token: citizen,
    body: { ward, procedureId: feeProcedure[ward], channel: 'online', applicant: applicant(900 + n) },
  });
  expect(created.status).toBe(201);
  let cur = created.json;
  const t = staff[ward] as { receiver: string; specialist: string };
  for (const [to, tok, extra] of [
    [2, t.receiver, {}],
    [4, t.receiver, {}],
    [6, t.specialist, { fee: 30_000 }],
  ] as const) {
    const r = await s.call('POST', `/v1/dossiers/${cur.id}/transitions`, {
      token: tok,
      body: { to, expectedVersion: cur.version, ...extra },
    });
    expect(r.status).toBe(200);
    cur = r.json;
  }
  return s.call('POST', `/v1/dossiers/${cur.id}/payments`, { token: citizen, body: { gateway, ...body } });
}

const ipnFields = (orderId: string, tmnCode: string, amountMinor: number, extra: Record<string, string> = {}) => ({
  vnp_Amount: String(amountMinor),
  vnp_BankCode: 'NCB',
  vnp_BankTranNo: '',
  vnp_CardType: 'ATM',
  vnp_OrderInfo: "Thanh toan phi (le phi) ~ho so! cua ong/ba Nguyen Van A's",
  vnp_PayDate: '20260310103000',
  vnp_ResponseCode: '00',
  vnp_TmnCode: tmnCode,
  vnp_TransactionNo: String(14_000_000 + Math.floor(Math.random() * 1e6)),
  vnp_TransactionStatus: '00',
  vnp_TxnRef: orderId,
  ...extra,
});

/** Signed by the `vnpay` library's own algorithm (its buildPaymentUrl: URLSearchParams, no empty fields). */
function signedByLibrary(fields: Record<string, string>, secret: string): string {
  const data = buildPaymentUrlSearchParams(fields).toString();
  const hash = calculateSecureHash({
    secureSecret: secret,
    data,
    hashAlgorithm: 'SHA512' as never,
    bufferEncode: 'utf-8',
  });
  return `${data}&vnp_SecureHash=${hash}`;
}

/** VNPay's PHP sample: sorted, urlencode (encodes ( ) ~ ! ' too; space as +), empty fields kept. */
function signedLikePhp(fields: Record<string, string>, secret: string): string {
  const urlencode = (v: string) =>
    encodeURIComponent(v)
      .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  const data = Object.keys(fields)
    .sort()
    .map((k) => `${urlencode(k)}=${urlencode(fields[k] as string)}`)
    .join('&');
  return `${data}&vnp_SecureHash=${createHmac('sha512', secret).update(data).digest('hex')}`;
}

const ipn = (q: string) => s.call('GET', `/v1/payments/vnpay/ipn?${q}`);
const receipts = async (dossierId: string) =>
  (await s.call('GET', `/v1/dossiers/${dossierId}/receipts`, { token: citizen })).json.items as any[];

describe('VNPay callbacks signed by an independent implementation', () => {
  it("verifies the `vnpay` library's signature over values with ( ) ~ ! ' and an empty field left out", async () => {
    const p = (await paymentOf('bimson')).json;
    const q = signedByLibrary(ipnFields(p.orderId, DEFAULT.tmnCode, p.amount * 100), DEFAULT.secret);
    expect(q).toContain('%28le+phi%29+%7Eho+so%21');
    expect(q).not.toContain('vnp_BankTranNo');
    expect((await ipn(q)).json.RspCode).toBe('00');
    expect(await receipts(p.dossierId)).toHaveLength(1);
  });

  it("verifies the PHP sample's form too, where the empty field is in the query and in the hash", async () => {
    const p = (await paymentOf('bimson')).json;
    const q = signedLikePhp(ipnFields(p.orderId, DEFAULT.tmnCode, p.amount * 100), DEFAULT.secret);
    expect(q).toContain('vnp_BankTranNo=&');
    expect((await ipn(q)).json.RspCode).toBe('00');
  });

  it('answers 04 to a validly signed amount that is not a whole number of đồng, and 97 to a tampered one', async () => {
    const p = (await paymentOf('bimson')).json;
    const odd = signedByLibrary(ipnFields(p.orderId, DEFAULT.tmnCode, p.amount * 100 + 50), DEFAULT.secret);
    expect((await ipn(odd)).json.RspCode).toBe('04');
    const good = signedByLibrary(ipnFields(p.orderId, DEFAULT.tmnCode, p.amount * 100), DEFAULT.secret);
    expect((await ipn(good.replace('vnp_OrderInfo=Thanh', 'vnp_OrderInfo=Thanx'))).json.RspCode).toBe('97');
    expect((await s.call('GET', `/v1/dossiers/${p.dossierId}`, { token: citizen })).json.status).toBe(6);
  });
});

describe('One merchant per ward', () => {
  it("refuses to let one ward's merchant confirm another ward's payment (01), and confirms with the right one", async () => {
    const qt = (await paymentOf('quangtrung')).json;
    const bs = (await paymentOf('bimson')).json;
    // Bỉm Sơn's (the default) merchant signs for Quang Trung's order: verified, but not its ward.
    const wrong = signedByLibrary(ipnFields(qt.orderId, DEFAULT.tmnCode, qt.amount * 100), DEFAULT.secret);
    expect((await ipn(wrong)).json.RspCode).toBe('01');
    const wrongBack = signedByLibrary(ipnFields(bs.orderId, QT.tmnCode, bs.amount * 100), QT.secret);
    expect((await ipn(wrongBack)).json.RspCode).toBe('01');
    // Quang Trung's terminal code with the default secret: not its signature.
    const forged = signedByLibrary(ipnFields(qt.orderId, QT.tmnCode, qt.amount * 100), DEFAULT.secret);
    expect((await ipn(forged)).json.RspCode).toBe('97');
    expect((await s.call('GET', `/v1/dossiers/${qt.dossierId}`, { token: citizen })).json.status).toBe(6);
    const right = signedByLibrary(ipnFields(qt.orderId, QT.tmnCode, qt.amount * 100), QT.secret);
    expect((await ipn(right)).json.RspCode).toBe('00');
    expect((await s.call('GET', `/v1/dossiers/${qt.dossierId}`, { token: citizen })).json.status).toBe(4);
  });

  it('does not offer MoMo to a ward that takes only VNPay (422 GATEWAY_NOT_OFFERED)', async () => {
    const r = await paymentOf('quangtrung', 'momo');
    expect([r.status, r.json.error.code]).toEqual([422, 'GATEWAY_NOT_OFFERED']);
    expect((await paymentOf('bimson', 'momo')).status).toBe(201);
  });

  it('takes return URLs only on the configured front ends, over https (422 otherwise)', async () => {
    for (const returnUrl of [
      'http://dichvucong.bimson.test/x',
      'https://evil.example/x',
      'https://u:p@dichvucong.bimson.test/x',
      'https://dichvucong.bimson.test/(x)',
    ]) {
      const r = await paymentOf('bimson', 'vnpay', { returnUrl });
      expect([r.status, r.json.error.code]).toEqual([422, 'RETURN_URL_NOT_ALLOWED']);
    }
    expect((await paymentOf('bimson', 'vnpay', { returnUrl: 'https://dichvucong.bimson.test/ho-so/1' })).status).toBe(
      201,
    );
  });
});
