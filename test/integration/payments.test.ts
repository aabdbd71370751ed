/**
 * Online payments over HTTP against the local servers: the payments route, the VNPay and MoMo
 * callbacks signed here with node:crypto (independently of the project's signing code, as the
 * gateways and the acceptance check sign them), the sandbox pages, and reconciliation.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentKeys } from '#functions/adapters/dynamo-payments.ts';
import { LOCAL_GATEWAY_DEFAULTS } from '#local/runtime.ts';
import { LOCAL_NAMES } from '#wiring/definitions.ts';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

// This run's own merchant settings: the runtime must take them from the environment.
const VNP = { tmnCode: 'MOTCUATEST', secret: `S${randomBytes(16).toString('hex').toUpperCase()}` };
const MOMO = {
  partnerCode: 'MOMOTEST01',
  accessKey: `acc${randomBytes(6).toString('hex')}`,
  secretKey: `sec${randomBytes(16).toString('hex')}`,
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
let leader: string;
let otherWard: string;
let feePid: string;
let n = 0;

beforeAll(async () => {
  s = await startStack();
  ({ citizen, citizenB, receiver, specialist, leader, otherWard } = await s.cast('citizen-pay'));
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  feePid = list.json.items.find((p: any) => p.fee > 0 && p.channels.some((c: string) => c !== 'counter')).id;
});
afterAll(async () => s?.stop());

const move = (token: string, id: string, to: number, expectedVersion: number, extra: object = {}) =>
  s.call('POST', `/v1/dossiers/${id}/transitions`, { token, body: { to, expectedVersion, ...extra } });

/** A citizen's online dossier walked to status 6 with a fee of 30,000 đồng. */
async function dossierAwaitingFee(): Promise<{ id: string; code: string; version: number }> {
  n++;
  const created = await s.call('POST', '/v1/dossiers', {
    token: citizen,
    body: { ward: 'bimson', procedureId: feePid, channel: 'online', applicant: applicant(500 + n) },
  });
  expect(created.status).toBe(201);
  let cur = created.json;
  for (const [to, tok, extra] of [
    [2, receiver, {}],
    [4, receiver, {}],
    [6, specialist, { fee: 30_000 }],
  ] as const) {
    const r = await move(tok, cur.id, to, cur.version, extra);
    expect(r.status).toBe(200);
    cur = r.json;
  }
  return cur;
}

const pay = (id: string, gateway: string, token = citizen) =>
  s.call('POST', `/v1/dossiers/${id}/payments`, { token, body: { gateway } });

const dossier = async (id: string) => (await s.call('GET', `/v1/dossiers/${id}`, { token: citizen })).json;
const history = async (id: string) =>
  (await s.call('GET', `/v1/dossiers/${id}/history`, { token: citizen })).json.items as any[];
const paymentMoves = async (id: string) => (await history(id)).filter((h) => h.from === 6 && h.to === 4);

// VNPay's signing, written from its documentation: sorted keys, encodeURIComponent with + for space,
// HMAC-SHA512 hex.
const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
function vnpQuery(fields: Record<string, string>, secret = VNP.secret): string {
  const data = Object.keys(fields)
    .sort()
    .map((k) => `${enc(k)}=${enc(fields[k] as string)}`)
    .join('&');
  return `${data}&vnp_SecureHash=${createHmac('sha512', secret).update(data, 'utf8').digest('hex')}`;
}
const vnpFields = (orderId: string, amount: number, extra: Record<string, string> = {}) => ({
  vnp_Amount: String(amount * 100),
  vnp_BankCode: 'NCB',
  vnp_CardType: 'ATM',
  vnp_OrderInfo: `Thanh toan phi ho so ${orderId}`,
  vnp_PayDate: '20260310103000',
  vnp_ResponseCode: '00',
  vnp_TmnCode: VNP.tmnCode,
  vnp_TransactionNo: String(14_000_000 + Math.floor(Math.random() * 1e6)),
  vnp_TransactionStatus: '00',
  vnp_TxnRef: orderId,
  ...extra,
});
const vnpIpn = (q: string) => s.call('GET', `/v1/payments/vnpay/ipn?${q}`);

// MoMo's IPN signature, written from its documentation: fixed key order, raw values, HMAC-SHA256 hex.
function momoIpn(
  orderId: string,
  requestId: string,
  amount: number,
  opts: { secret?: string; resultCode?: number } = {},
) {
  const f: Record<string, string | number> = {
    accessKey: MOMO.accessKey,
    amount,
    extraData: '',
    message: 'Successful.',
    orderId,
    orderInfo: `Thanh toan phi ho so ${orderId}`,
    orderType: 'momo_wallet',
    partnerCode: MOMO.partnerCode,
    payType: 'qr',
    requestId,
    responseTime: Date.now(),
    resultCode: opts.resultCode ?? 0,
    transId: 4_000_000_000 + Math.floor(Math.random() * 1e6),
  };
  const raw = Object.keys(f)
    .map((k) => `${k}=${f[k]}`)
    .join('&');
  const { accessKey, ...body } = f;
  return {
    ...body,
    signature: createHmac('sha256', opts.secret ?? MOMO.secretKey)
      .update(raw)
      .digest('hex'),
  };
}
const momoPost = (body: unknown) => s.call('POST', '/v1/payments/momo/ipn', { body });

const storedPayment = async (orderId: string) => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: s.rt.endpoints.dynamodb }));
  const r = await db.send(new GetCommand({ TableName: LOCAL_NAMES.table, Key: paymentKeys.payment(orderId) }));
  return r.Item;
};

describe('Starting a payment: POST /v1/dossiers/{dossierId}/payments', () => {
  it('opens a pending payment of the fee due, with the sandbox pay link, once per gateway', async () => {
    const d = await dossierAwaitingFee();
    const r = await pay(d.id, 'vnpay');
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ amount: 30_000, gateway: 'vnpay', status: 'pending', dossierId: d.id });
    expect(r.json.orderId).toMatch(/^[A-Za-z0-9]+$/);
    expect(r.json.payUrl).toBe(`${s.base}/local/sandbox/vnpay?orderId=${r.json.orderId}`);
    expect(Date.parse(r.json.expiresAt)).toBeGreaterThan(Date.now());
    const again = await pay(d.id, 'vnpay', receiver);
    expect([again.status, again.json.orderId]).toEqual([201, r.json.orderId]);
    const momo = await pay(d.id, 'momo');
    expect(momo.status).toBe(201);
    expect(momo.json.orderId).not.toBe(r.json.orderId);
    expect(momo.json.requestId).toBeTruthy();
  });

  it('opens one payment when the same gateway is asked for twice at the same moment', async () => {
    const d = await dossierAwaitingFee();
    const rs = await Promise.all([pay(d.id, 'momo'), pay(d.id, 'momo'), pay(d.id, 'momo')]);
    expect(rs.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(rs.map((r) => r.json.orderId)).size).toBe(1);
  });

  it('refuses a dossier not at status 6 (409), and hides the dossier from others (404)', async () => {
    const created = await s.call('POST', '/v1/dossiers', {
      token: citizen,
      body: { ward: 'bimson', procedureId: feePid, channel: 'online', applicant: applicant(499) },
    });
    const early = await pay(created.json.id, 'vnpay');
    expect([early.status, early.json.error.code]).toEqual([409, 'NOT_AWAITING_PAYMENT']);
    const d = await dossierAwaitingFee();
    for (const tok of [citizenB, otherWard]) {
      const r = await pay(d.id, 'vnpay', tok);
      expect([r.status, r.json.error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    }
    const wrongRole = await pay(d.id, 'vnpay', specialist);
    expect(wrongRole.status).toBe(403);
    const badGateway = await pay(d.id, 'paypal');
    expect([badGateway.status, badGateway.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const malformed = await pay('not-a-dossier', 'vnpay');
    expect(malformed.status).toBe(404);
  });
});

describe('VNPay IPN: GET /v1/payments/vnpay/ipn', () => {
  it('answers 97, 01, 04 in that order of checks without touching the dossier, then 00 once and 02 after', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    const cases: [string, string][] = [
      [vnpQuery(vnpFields(p.orderId, p.amount), 'WRONGSECRET'), '97'],
      [vnpQuery(vnpFields(p.orderId, p.amount), LOCAL_GATEWAY_DEFAULTS.VNPAY_HASH_SECRET), '97'],
      [vnpQuery(vnpFields(p.orderId, p.amount, { vnp_TmnCode: 'OTHERTMN' })), '97'],
      [`${vnpQuery(vnpFields(p.orderId, p.amount))}`.replace('vnp_Amount=3000000', 'vnp_Amount=3100000'), '97'],
      [vnpQuery(vnpFields('NOSUCHORDER123', p.amount)), '01'],
      [vnpQuery(vnpFields(p.orderId, p.amount + 1000)), '04'],
    ];
    for (const [q, want] of cases) {
      const r = await vnpIpn(q);
      expect([r.status, r.json.RspCode]).toEqual([200, want]);
    }
    expect((await dossier(d.id)).status).toBe(6);

    const ok = await vnpIpn(vnpQuery(vnpFields(p.orderId, p.amount)));
    expect([ok.status, ok.json]).toEqual([200, { RspCode: '00', Message: 'Confirm Success' }]);
    const after = await dossier(d.id);
    expect(after.status).toBe(4);
    expect(after.payment).toMatchObject({ amount: 30_000, gateway: 'vnpay', online: true });
    expect((await history(d.id)).at(-1)).toMatchObject({ from: 6, to: 4, role: 'system', by: 'vnpay' });
    const dup = await vnpIpn(vnpQuery(vnpFields(p.orderId, p.amount)));
    expect(dup.json.RspCode).toBe('02');
    expect(await paymentMoves(d.id)).toHaveLength(1);
    // PaymentConfirmed went through the outbox, the bus and the notifier.
    const sent = await eventually(async () => {
      const r = await s.call('GET', `/local/notifications?dossierId=${d.id}`);
      return r.json.items.some((x: any) => x.kind === 'paid') ? r.json.items : undefined;
    });
    expect(sent.filter((x: any) => x.kind === 'paid')).toHaveLength(1);
  });

  it('answers 99, never a 500, to a signed call without an order or amount', async () => {
    const r = await vnpIpn(vnpQuery({ vnp_TmnCode: VNP.tmnCode, vnp_ResponseCode: '00' }));
    expect([r.status, r.json.RspCode]).toEqual([200, '99']);
    const empty = await vnpIpn('');
    expect([empty.status, empty.json.RspCode]).toEqual([200, '97']);
  });

  it('marks a payment failed on ResponseCode 24 (reply 00) and leaves the dossier waiting', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    const failed = await vnpIpn(
      vnpQuery(vnpFields(p.orderId, p.amount, { vnp_ResponseCode: '24', vnp_TransactionStatus: '02' })),
    );
    expect(failed.json.RspCode).toBe('00');
    expect((await storedPayment(p.orderId))?.status).toBe('failed');
    expect((await dossier(d.id)).status).toBe(6);
    const late = await vnpIpn(vnpQuery(vnpFields(p.orderId, p.amount)));
    expect(late.json.RspCode).toBe('02');
    const next = await pay(d.id, 'vnpay');
    expect(next.json.orderId).not.toBe(p.orderId);
  });

  it('confirms once out of 8 identical callbacks at the same moment: 1x00, 7x02, one 6 -> 4', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    const q = vnpQuery(vnpFields(p.orderId, p.amount));
    const rs = await Promise.all(Array.from({ length: 8 }, () => vnpIpn(q)));
    expect(rs.map((r) => r.status)).toEqual(Array(8).fill(200));
    const codes = rs.map((r) => r.json.RspCode).sort();
    expect(codes).toEqual(['00', '02', '02', '02', '02', '02', '02', '02']);
    expect(await paymentMoves(d.id)).toHaveLength(1);
    expect((await dossier(d.id)).version).toBe(d.version + 1);
  });

  it('records a payment without moving a dossier a leader already moved 6 -> 9', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    expect((await move(leader, d.id, 9, d.version)).status).toBe(200);
    const r = await vnpIpn(vnpQuery(vnpFields(p.orderId, p.amount)));
    expect(r.json.RspCode).toBe('00');
    const after = await dossier(d.id);
    expect(after.status).toBe(9);
    expect(after.payment).toMatchObject({ amount: 30_000, gateway: 'vnpay' });
    expect(await paymentMoves(d.id)).toHaveLength(0);
  });

  it('lets the first of two gateways win; the other is refused as already confirmed (02)', async () => {
    const d = await dossierAwaitingFee();
    const v = (await pay(d.id, 'vnpay')).json;
    const m = (await pay(d.id, 'momo')).json;
    expect((await momoPost(momoIpn(m.orderId, m.requestId, m.amount))).status).toBe(204);
    expect((await dossier(d.id)).status).toBe(4);
    const r = await vnpIpn(vnpQuery(vnpFields(v.orderId, v.amount)));
    expect(r.json.RspCode).toBe('02');
    expect((await storedPayment(v.orderId))?.status).toBe('duplicate');
    expect(await paymentMoves(d.id)).toHaveLength(1);
  });
});

describe('MoMo IPN: POST /v1/payments/momo/ipn', () => {
  it('answers 204 to everything; only a valid signature with the right amount confirms, once', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'momo')).json;
    const refused = [
      momoIpn(p.orderId, p.requestId, p.amount, { secret: 'forged' }),
      momoIpn(p.orderId, p.requestId, p.amount, { secret: LOCAL_GATEWAY_DEFAULTS.MOMO_SECRET_KEY }),
      momoIpn('NOSUCHORDER123', p.requestId, p.amount),
      momoIpn(p.orderId, p.requestId, p.amount + 1000),
      { ...momoIpn(p.orderId, p.requestId, p.amount), amount: p.amount + 1 },
      { orderId: p.orderId },
    ];
    for (const body of refused) {
      const r = await momoPost(body);
      expect([r.status, r.text]).toEqual([204, '']);
    }
    const junk = await s.call('POST', '/v1/payments/momo/ipn', {
      raw: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(junk.status).toBe(204);
    expect((await dossier(d.id)).status).toBe(6);
    expect((await storedPayment(p.orderId))?.status).toBe('pending');

    const ok = await momoPost(momoIpn(p.orderId, p.requestId, p.amount));
    expect(ok.status).toBe(204);
    expect(await dossier(d.id)).toMatchObject({ status: 4, payment: { gateway: 'momo', amount: 30_000 } });
    const dup = await momoPost(momoIpn(p.orderId, p.requestId, p.amount));
    expect(dup.status).toBe(204);
    expect(await paymentMoves(d.id)).toHaveLength(1);
  });

  it('marks a refused MoMo payment (resultCode 1006) failed and leaves the dossier waiting', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'momo')).json;
    expect((await momoPost(momoIpn(p.orderId, p.requestId, p.amount, { resultCode: 1006 }))).status).toBe(204);
    expect((await storedPayment(p.orderId))?.status).toBe('failed');
    expect((await dossier(d.id)).status).toBe(6);
  });
});

describe('Sandbox gateway pages: /local/sandbox/{gateway}', () => {
  const form = (path: string, fields: Record<string, string>) =>
    s.call('POST', path, {
      raw: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('shows the order with its amount, and a successful payment there confirms the dossier', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    const page = await fetch(p.payUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('30.000 đồng');
    expect(html).toContain(p.orderId);
    expect(html).toContain('action="/local/sandbox/vnpay/pay"');

    const done = await form('/local/sandbox/vnpay/pay', { orderId: p.orderId, outcome: 'success' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('thành công');
    expect(done.text).toContain('RspCode 00');
    expect((await dossier(d.id)).status).toBe(4);
    const again = await fetch(p.payUrl);
    expect(again.status).toBe(409);
  });

  it('plays MoMo too, and a cancelled payment leaves the dossier waiting', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'momo')).json;
    expect((await fetch(p.payUrl)).status).toBe(200);
    const cancelled = await form('/local/sandbox/momo/pay', { orderId: p.orderId, outcome: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('HTTP 204');
    expect((await storedPayment(p.orderId))?.status).toBe('failed');
    expect((await dossier(d.id)).status).toBe(6);
    const paid = await form('/local/sandbox/momo/pay', { orderId: p.orderId, outcome: 'success' });
    expect(paid.status).toBe(409);
  });

  it('answers 404 for an unknown gateway or order, or an order of the other gateway', async () => {
    const d = await dossierAwaitingFee();
    const p = (await pay(d.id, 'vnpay')).json;
    expect((await s.call('GET', `/local/sandbox/paypal?orderId=${p.orderId}`)).status).toBe(404);
    expect((await s.call('GET', '/local/sandbox/vnpay?orderId=NOSUCHORDER1')).status).toBe(404);
    expect((await s.call('GET', `/local/sandbox/momo?orderId=${p.orderId}`)).status).toBe(404);
    expect((await form('/local/sandbox/vnpay/pay', { orderId: 'NOSUCHORDER1', outcome: 'success' })).status).toBe(404);
    expect((await s.call('GET', '/local/sandbox/vnpay')).status).toBe(200);
  });
});

describe('Reconciliation: the payment-reconcile schedule', () => {
  it('expires a payment pending past its link, and leaves a younger one pending', async () => {
    const d1 = await dossierAwaitingFee();
    const d2 = await dossierAwaitingFee();
    const old = (await pay(d1.id, 'vnpay')).json;
    try {
      expect((await s.call('POST', '/local/clock', { body: { offsetMs: 20 * 60_000 } })).status).toBe(200);
      const young = (await pay(d2.id, 'momo')).json;
      const run = await s.call('POST', '/local/schedules/payment-reconcile');
      expect(run.status).toBe(200);
      const stored = await storedPayment(old.orderId);
      expect(stored).toMatchObject({ status: 'expired' });
      expect(stored?.GSI3PK).toBeUndefined();
      expect((await storedPayment(young.orderId))?.status).toBe('pending');
      expect((await fetch(old.payUrl)).status).toBe(410);
      expect((await dossier(d1.id)).status).toBe(6);
      // The next payment of that dossier is a new order.
      const next = (await pay(d1.id, 'vnpay')).json;
      expect(next.orderId).not.toBe(old.orderId);
    } finally {
      await s.call('POST', '/local/clock', { body: { offsetMs: 0 } });
    }
  });
});
