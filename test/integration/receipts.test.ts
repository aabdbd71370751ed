/**
 * Electronic receipts (biên lai điện tử, Decree 123/2020) over HTTP against the local servers:
 * a receipt for every fee collected (cash at the counter, VNPay and MoMo callbacks signed here with
 * node:crypto, independently of the project's code), exactly one per payment, numbered without
 * gaps within the ward's series and year even when confirmations race, the PDF, the public
 * verification its QR code opens, and the citizen's notification.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

const VNP = { tmnCode: 'RECEIPTS1', secret: `S${randomBytes(16).toString('hex')}` };
const MOMO = {
  partnerCode: 'MOMORCPT',
  accessKey: `a${randomBytes(6).toString('hex')}`,
  secretKey: randomBytes(16).toString('hex'),
};
process.env.VNPAY_TMN_CODE = VNP.tmnCode;
process.env.VNPAY_HASH_SECRET = VNP.secret;
process.env.MOMO_PARTNER_CODE = MOMO.partnerCode;
process.env.MOMO_ACCESS_KEY = MOMO.accessKey;
process.env.MOMO_SECRET_KEY = MOMO.secretKey;

let s: Stack;
let citizen: string;
let citizenB: string;
let receiver: string;
let specialist: string;
let otherWard: string;
let feePid: string;
let n = 0;
/** Every dossier of this file that had a fee collected: the ward's whole series, for the gap check. */
const paidDossiers: string[] = [];

beforeAll(async () => {
  s = await startStack();
  ({ citizen, citizenB, receiver, specialist, otherWard } = await s.cast('citizen-receipts'));
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  feePid = list.json.items.find((p: any) => p.fee > 0 && p.channels.some((c: string) => c !== 'counter')).id;
});
afterAll(async () => s?.stop());

const move = (token: string, id: string, to: number, expectedVersion: number, extra: object = {}) =>
  s.call('POST', `/v1/dossiers/${id}/transitions`, { token, body: { to, expectedVersion, ...extra } });

async function dossierAwaitingFee(fee = 30_000): Promise<{ id: string; code: string; version: number }> {
  n++;
  const created = await s.call('POST', '/v1/dossiers', {
    token: citizen,
    body: { ward: 'bimson', procedureId: feePid, channel: 'online', applicant: applicant(700 + n) },
  });
  expect(created.status).toBe(201);
  let cur = created.json;
  for (const [to, tok, extra] of [
    [2, receiver, {}],
    [4, receiver, {}],
    [6, specialist, { fee }],
  ] as const) {
    const r = await move(tok, cur.id, to, cur.version, extra);
    expect(r.status).toBe(200);
    cur = r.json;
  }
  paidDossiers.push(cur.id);
  return { id: cur.id, code: created.json.code, version: cur.version };
}

// VNPay's documented signing: sorted keys, encodeURIComponent with + for space, HMAC-SHA512 hex.
const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
function vnpIpn(orderId: string, amount: number) {
  const f: Record<string, string> = {
    vnp_Amount: String(amount * 100),
    vnp_BankCode: 'NCB',
    vnp_OrderInfo: `Thanh toan ${orderId}`,
    vnp_PayDate: '20260310103000',
    vnp_ResponseCode: '00',
    vnp_TmnCode: VNP.tmnCode,
    vnp_TransactionNo: String(14_000_000 + Math.floor(Math.random() * 1e6)),
    vnp_TransactionStatus: '00',
    vnp_TxnRef: orderId,
  };
  const data = Object.keys(f)
    .sort()
    .map((k) => `${enc(k)}=${enc(f[k] as string)}`)
    .join('&');
  const q = `${data}&vnp_SecureHash=${createHmac('sha512', VNP.secret).update(data).digest('hex')}`;
  return s.call('GET', `/v1/payments/vnpay/ipn?${q}`);
}

// MoMo's documented IPN signature: fixed key order, raw values, HMAC-SHA256 hex.
function momoIpn(orderId: string, requestId: string, amount: number) {
  const f: Record<string, string | number> = {
    accessKey: MOMO.accessKey,
    amount,
    extraData: '',
    message: 'Successful.',
    orderId,
    orderInfo: `Thanh toan ${orderId}`,
    orderType: 'momo_wallet',
    partnerCode: MOMO.partnerCode,
    payType: 'qr',
    requestId,
    responseTime: Date.now(),
    resultCode: 0,
    transId: 4_000_000_000 + Math.floor(Math.random() * 1e6),
  };
  const raw = Object.keys(f)
    .map((k) => `${k}=${f[k]}`)
    .join('&');
  const { accessKey, ...body } = f;
  return s.call('POST', '/v1/payments/momo/ipn', {
    body: { ...body, signature: createHmac('sha256', MOMO.secretKey).update(raw).digest('hex') },
  });
}

const receiptsOf = async (id: string, token = citizen) => s.call('GET', `/v1/dossiers/${id}/receipts`, { token });

describe('Receipts: GET /v1/dossiers/{dossierId}/receipts, /v1/receipts/{id}.pdf, /v1/verify/receipts/{id}', () => {
  it('issues one receipt when a receiver takes the fee in cash, with the amount in Vietnamese words', async () => {
    const d = await dossierAwaitingFee(1_250_000);
    const none = await receiptsOf(d.id);
    expect([none.status, none.json.items]).toEqual([200, []]);
    const r = await move(receiver, d.id, 4, d.version);
    expect(r.status).toBe(200);
    const list = await receiptsOf(d.id);
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
    const item = list.json.items[0];
    expect(item).toMatchObject({
      amount: 1_250_000,
      amountInWords: 'Một triệu hai trăm năm mươi nghìn đồng',
      method: 'cash',
      series: `BS-${String(new Date().getUTCFullYear() % 100).padStart(2, '0')}E`,
    });
    expect(item.number).toBeGreaterThanOrEqual(1);
    expect(Date.parse(item.issuedAt)).not.toBeNaN();

    // Staff of the ward see it; another citizen and another ward's staff do not (404).
    expect((await receiptsOf(d.id, receiver)).json.items).toHaveLength(1);
    for (const tok of [citizenB, otherWard]) {
      const hidden = await receiptsOf(d.id, tok);
      expect([hidden.status, hidden.json.error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
      const pdf = await s.call('GET', `/v1/receipts/${item.id}.pdf`, { token: tok });
      expect([pdf.status, pdf.json.error.code]).toEqual([404, 'RECEIPT_NOT_FOUND']);
    }

    const pdf = await fetch(`${s.base}/v1/receipts/${item.id}.pdf`, {
      headers: { authorization: `Bearer ${citizen}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The title carries the series and number.
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe(`Biên lai ${item.series} số ${String(item.number).padStart(7, '0')}`);
    expect(doc.getPageCount()).toBe(1);

    // What the QR code opens: public, no token, the masked payer and the digest.
    const v = await s.call('GET', `/v1/verify/receipts/${item.id}`);
    expect(v.status).toBe(200);
    expect(v.json).toMatchObject({
      valid: true,
      id: item.id,
      series: item.series,
      number: item.number,
      amount: 1_250_000,
      method: 'cash',
      dossierCode: d.code,
      payer: expect.stringMatching(/^N\. T\. H\. N\./),
    });
    expect(v.json.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(v.json)).not.toContain('Nguyễn');
    const unknown = await s.call('GET', `/v1/verify/receipts/${crypto.randomUUID()}`);
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'RECEIPT_NOT_FOUND']);

    // The citizen is told.
    const sent = await eventually(async () => {
      const r = await s.call('GET', `/local/notifications?dossierId=${d.id}`);
      return r.json.items.find((m: any) => m.kind === 'receipt');
    });
    expect(sent.text).toContain(item.series);
    expect(sent.text).toContain(String(item.number).padStart(7, '0'));
  });

  it('issues exactly one receipt per online payment, however often the gateway calls back', async () => {
    const d = await dossierAwaitingFee();
    const p = (await s.call('POST', `/v1/dossiers/${d.id}/payments`, { token: citizen, body: { gateway: 'vnpay' } }))
      .json;
    const replies = await Promise.all([
      vnpIpn(p.orderId, p.amount),
      vnpIpn(p.orderId, p.amount),
      vnpIpn(p.orderId, p.amount),
    ]);
    expect(replies.map((r) => r.json.RspCode).sort()).toEqual(['00', '02', '02']);
    const items = (await receiptsOf(d.id)).json.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ amount: 30_000, method: 'vnpay', amountInWords: 'Ba mươi nghìn đồng' });

    const m = await dossierAwaitingFee();
    const mp = (await s.call('POST', `/v1/dossiers/${m.id}/payments`, { token: citizen, body: { gateway: 'momo' } }))
      .json;
    expect((await momoIpn(mp.orderId, mp.requestId, mp.amount)).status).toBe(204);
    expect((await momoIpn(mp.orderId, mp.requestId, mp.amount)).status).toBe(204);
    const mItems = (await receiptsOf(m.id)).json.items;
    expect(mItems).toHaveLength(1);
    expect(mItems[0]).toMatchObject({ method: 'momo', amount: 30_000 });
  });

  it('numbers receipts without gaps or repeats when confirmations race (callbacks and cash at once)', async () => {
    const online: { id: string; orderId: string; amount: number }[] = [];
    const cash: { id: string; version: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const d = await dossierAwaitingFee(20_000 + i * 1000);
      if (i % 3 === 2) cash.push(d);
      else {
        const p = (
          await s.call('POST', `/v1/dossiers/${d.id}/payments`, { token: citizen, body: { gateway: 'vnpay' } })
        ).json;
        online.push({ id: d.id, orderId: p.orderId, amount: p.amount });
      }
    }
    const results = await Promise.all([
      ...online.map((o) => vnpIpn(o.orderId, o.amount).then((r) => r.json.RspCode)),
      ...cash.map((c) => move(receiver, c.id, 4, c.version).then((r) => String(r.status))),
    ]);
    expect(results.filter((r) => r === '00')).toHaveLength(online.length);
    expect(results.filter((r) => r === '200')).toHaveLength(cash.length);

    // Every receipt of the ward's series in this run: exactly 1..N, each dossier one.
    const all: { number: number; series: string }[] = [];
    for (const id of paidDossiers) {
      const items = (await receiptsOf(id)).json.items;
      expect(items).toHaveLength(1);
      all.push(...items);
    }
    expect(new Set(all.map((r) => r.series)).size).toBe(1);
    const numbers = all.map((r) => r.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  }, 180_000);
});
