/**
 * The payment use cases on their own, over small in-memory fakes of their ports (the table's
 * transaction is played by MemoryPayments.settle: all or nothing, conditional on the payment's
 * status and the dossier's version). The same behaviour against the real local servers is in
 * test/integration/payments.test.ts.
 */
import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth.ts';
import type { Dossier } from '#shared/dossier.ts';
import {
  ConflictError,
  GatewayConfigError,
  GatewayUnavailableError,
  PaymentStateChangedError,
} from '#shared/errors.ts';
import { momoClient, type PostJson, sandboxClient, vnpayClient } from '#shared/payments/gateway-client.ts';
import { type GatewayConfig, parseGatewayConfig } from '#shared/payments/gateway-config.ts';
import { GATEWAY_ENDPOINTS, type MerchantSettings } from '#shared/payments/merchants.ts';
import { VNPAY_SANDBOX } from '#shared/payments/vnpay.ts';
import type {
  GatewayAccess,
  PaymentDeps,
  PaymentGateway,
  PaymentRecord,
  PaymentRepository,
  SettlementWrite,
} from '#shared/use-cases/payments/model.ts';
import { reconcilePayments } from '#shared/use-cases/payments/reconcile.ts';
import { applyGatewayResult } from '#shared/use-cases/payments/settle.ts';
import { newOrderId, startPayment } from '#shared/use-cases/payments/start.ts';
import { MemoryDossiers, memoryCalendars, memoryCatalog } from './memory-ports.ts';

// ---------------------------------------------------------------------------------------------
// Fakes
// ---------------------------------------------------------------------------------------------
class MemoryPayments implements PaymentRepository {
  readonly items = new Map<string, PaymentRecord>();
  readonly markers = new Map<string, string>();
  /** Runs before a settlement commits: a test plays a concurrent writer here. */
  beforeSettle: (() => void) | undefined;

  constructor(private readonly dossiers: MemoryDossiers) {}

  private marker = (dossierId: string, gateway: PaymentGateway) => `${dossierId}#${gateway}`;

  async get(orderId: string) {
    return this.items.get(orderId);
  }
  async pendingOf(dossierId: string, gateway: PaymentGateway) {
    const orderId = this.markers.get(this.marker(dossierId, gateway));
    return orderId ? this.items.get(orderId) : undefined;
  }
  async create(p: PaymentRecord) {
    if (this.items.has(p.orderId)) return 'order-taken' as const;
    if (this.markers.has(this.marker(p.dossierId, p.gateway))) return 'pending-exists' as const;
    this.items.set(p.orderId, p);
    this.markers.set(this.marker(p.dossierId, p.gateway), p.orderId);
    return 'created' as const;
  }
  async settle(read: PaymentRecord, next: PaymentRecord, write?: SettlementWrite) {
    const hook = this.beforeSettle;
    this.beforeSettle = undefined;
    hook?.();
    if (this.items.get(read.orderId)?.status !== read.status) throw new PaymentStateChangedError();
    if (write?.dossier && this.dossiers.items.get(write.dossier.next.id)?.version !== write.dossier.expectedVersion) {
      throw new ConflictError('STALE_VERSION', 'stale');
    }
    this.items.set(next.orderId, next);
    if (read.status === 'pending' && next.status !== 'pending')
      this.markers.delete(this.marker(read.dossierId, read.gateway));
    if (write?.dossier) this.dossiers.items.set(write.dossier.next.id, write.dossier.next);
    if (write?.history) this.dossiers.histories.push(write.history);
    this.dossiers.events.push(...(write?.events ?? []));
  }
  async listPending(before: string, opts: { limit: number }) {
    const items = [...this.items.values()]
      .filter((p) => p.status === 'pending' && p.createdAt < before)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, opts.limit);
    return { items };
  }
}

const config: GatewayConfig = {
  vnpay: { tmnCode: 'TESTTMN1', hashSecret: 'TESTVNPAYSECRET0123456789' },
  momo: { partnerCode: 'MOMOTEST', accessKey: 'testaccess', secretKey: 'testmomosecret0123456789' },
};

/** MoMo's query answer signed as MoMo signs it (accessKey first, then the fields in alphabetical order). */
function momoAnswer(f: { orderId: string; requestId: string; resultCode: number; amount: number; transId?: number }) {
  const body = {
    partnerCode: config.momo.partnerCode,
    orderId: f.orderId,
    requestId: f.requestId,
    extraData: '',
    amount: f.amount,
    transId: f.transId ?? 0,
    payType: 'qr',
    resultCode: f.resultCode,
    message: f.resultCode === 0 ? 'Thành công.' : 'Giao dịch bị từ chối bởi người dùng.',
    responseTime: 1773130000000,
  };
  const raw = [
    `accessKey=${config.momo.accessKey}`,
    ...(
      [
        'amount',
        'extraData',
        'message',
        'orderId',
        'partnerCode',
        'payType',
        'requestId',
        'responseTime',
        'resultCode',
        'transId',
      ] as const
    ).map((k) => `${k}=${body[k]}`),
  ].join('&');
  return { ...body, signature: hmac('sha256', config.momo.secretKey, raw) };
}

interface Posted {
  url: string;
  body: any;
}

function setup(
  opts: {
    local?: boolean;
    answer?: (p: Posted) => { status: number; body: unknown };
    merchants?: MerchantSettings;
  } = {},
) {
  const dossiers = new MemoryDossiers();
  const payments = new MemoryPayments(dossiers);
  const clock = { t: new Date('2026-03-10T02:00:00.000Z') };
  const posted: Posted[] = [];
  const post: PostJson = async (url, body) => {
    const call = { url, body };
    posted.push(call);
    if (!opts.answer) throw new Error('unreachable');
    return opts.answer(call);
  };
  const local = opts.local ?? true;
  const sandbox = GATEWAY_ENDPOINTS.sandbox;
  const gateways: GatewayAccess = {
    merchants: async () => opts.merchants ?? { wards: {}, fallback: config },
    clients: local
      ? { vnpay: sandboxClient('https://api.motcua.test'), momo: sandboxClient('https://api.motcua.test') }
      : { vnpay: vnpayClient(sandbox.vnpay, post, '203.0.113.250'), momo: momoClient(sandbox.momo, post) },
    publicBaseUrl: 'https://api.motcua.test',
    callbackBaseUrl: 'https://api.motcua.test',
    returnOrigins: ['https://dichvucong.bimson.test'],
  };
  const deps: PaymentDeps = {
    dossiers,
    payments,
    catalog: memoryCatalog([]),
    calendars: memoryCalendars(),
    clock: { now: () => clock.t },
    gateways,
  };
  const advance = (minutes: number) => {
    clock.t = new Date(clock.t.getTime() + minutes * 60_000);
  };
  return { deps, dossiers, payments, clock, posted, advance };
}

const owner: Principal = { sub: 'citizen-a', role: 'citizen' };
const otherCitizen: Principal = { sub: 'citizen-b', role: 'citizen' };
const receiver: Principal = { sub: 'receiver-1', role: 'receiver', ward: 'bimson' };
const otherWard: Principal = { sub: 'receiver-9', role: 'receiver', ward: 'quangtrung' };

/** A dossier that entered status 6 (fee due) an hour before the test's clock. */
function dossierAtFee(over: Partial<Dossier> = {}): Dossier {
  return {
    id: '6f1c1e1a-0000-4000-8000-000000000001',
    code: 'H56.27.01-20260310-0007',
    ward: 'bimson',
    procedureId: 'bimson-chung-thuc',
    procedureName: 'Chứng thực chữ ký',
    channel: 'online',
    status: 6,
    version: 4,
    ownerSub: 'citizen-a',
    createdBy: 'citizen-a',
    applicant: { fullName: 'Nguyễn Văn An', idNumber: '038190012345', phone: '0912345678' },
    components: [],
    durationHours: 16,
    fee: 10_000,
    feeDue: 30_000,
    submittedAt: '2026-03-09T01:00:00.000Z',
    acceptedAt: '2026-03-09T01:30:00.000Z',
    appointmentAt: '2026-03-11T01:30:00.000Z',
    dueAt: '2026-03-11T01:30:00.000Z',
    pauses: [{ status: 6, from: '2026-03-10T01:00:00.000Z', remainingHours: 9 }],
    supplementCount: 0,
    updatedAt: '2026-03-10T01:00:00.000Z',
    ...over,
  };
}

function withDossier(s: ReturnType<typeof setup>, over: Partial<Dossier> = {}): Dossier {
  const d = dossierAtFee(over);
  s.dossiers.items.set(d.id, d);
  return d;
}

const start = (s: ReturnType<typeof setup>, d: Dossier, gateway: PaymentGateway, p: Principal = owner) =>
  startPayment(s.deps, p, d.id, { gateway }, { ipAddr: '203.0.113.7' });

const paid = (p: PaymentRecord, over: Partial<{ amount: number; success: boolean }> = {}) => ({
  gateway: p.gateway,
  orderId: p.orderId,
  amount: over.amount ?? p.amount,
  success: over.success ?? true,
  transactionNo: '14123456',
});

const q0 = (url: string) => new URLSearchParams(url.split('?')[1]);

const hmac = (alg: 'sha256' | 'sha512', secret: string, data: string) =>
  createHmac(alg, secret).update(data, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------
describe('Function: startPayment', () => {
  it('opens a pending payment of the fee due, with a letters-and-digits order id and the sandbox link locally', async () => {
    const s = setup();
    const d = withDossier(s);
    const { payment, created } = await start(s, d, 'vnpay');
    expect(created).toBe(true);
    expect(payment).toMatchObject({ status: 'pending', amount: 30_000, gateway: 'vnpay', dossierId: d.id });
    expect(payment.orderId).toMatch(/^H562701202603100007[A-Z0-9]{6}$/);
    expect(payment.payUrl).toBe(`https://api.motcua.test/local/sandbox/vnpay?orderId=${payment.orderId}`);
    expect(Date.parse(payment.expiresAt) - s.clock.t.getTime()).toBe(15 * 60_000);
    expect(payment.dueSince).toBe('2026-03-10T01:00:00.000Z');
    expect(s.posted).toHaveLength(0);
  });

  it('lets a receiver of the ward start it, and answers 404 to another citizen or another ward', async () => {
    const s = setup();
    const d = withDossier(s);
    await expect(start(s, d, 'vnpay', receiver)).resolves.toMatchObject({ created: true });
    for (const p of [otherCitizen, otherWard]) {
      await expect(start(s, d, 'momo', p)).rejects.toMatchObject({ status: 404, code: 'DOSSIER_NOT_FOUND' });
    }
  });

  it('refuses a dossier that is not waiting for its fee with 409 NOT_AWAITING_PAYMENT', async () => {
    const s = setup();
    const d = withDossier(s, { status: 4, pauses: [] });
    await expect(start(s, d, 'vnpay')).rejects.toMatchObject({ status: 409, code: 'NOT_AWAITING_PAYMENT' });
    expect(s.payments.items.size).toBe(0);
  });

  it('refuses an amount outside the gateway limits with 422', async () => {
    const s = setup();
    const d = withDossier(s, { feeDue: 3_000 });
    await expect(start(s, d, 'vnpay')).rejects.toMatchObject({ status: 422, code: 'AMOUNT_NOT_SUPPORTED' });
    await expect(start(s, d, 'momo')).resolves.toMatchObject({ created: true });
  });

  it('returns the pending payment again for the same gateway, and opens another for the other gateway', async () => {
    const s = setup();
    const d = withDossier(s);
    const first = await start(s, d, 'vnpay');
    const again = await start(s, d, 'vnpay');
    expect(again).toEqual({ payment: first.payment, created: false });
    const momo = await start(s, d, 'momo');
    expect(momo.created).toBe(true);
    expect(momo.payment.orderId).not.toBe(first.payment.orderId);
    expect(momo.payment.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a pending payment whose link has expired, marking the old one expired', async () => {
    const s = setup();
    const d = withDossier(s);
    const first = await start(s, d, 'vnpay');
    s.advance(16);
    const second = await start(s, d, 'vnpay');
    expect(second.created).toBe(true);
    expect(second.payment.orderId).not.toBe(first.payment.orderId);
    expect(s.payments.items.get(first.payment.orderId)?.status).toBe('expired');
  });

  it("signs VNPay's pay URL in the cloud so that VNPay's algorithm verifies it", async () => {
    const s = setup({ local: false });
    const d = withDossier(s);
    const { payment } = await startPayment(
      s.deps,
      owner,
      d.id,
      { gateway: 'vnpay', returnUrl: 'https://dichvucong.bimson.test/ho-so/7' },
      { ipAddr: '203.0.113.7' },
    );
    expect(payment.payUrl.startsWith(`${VNPAY_SANDBOX.payUrl}?`)).toBe(true);
    expect(q0(payment.payUrl).get('vnp_ReturnUrl')).toBe('https://dichvucong.bimson.test/ho-so/7');
    const q = q0(payment.payUrl);
    expect(q.get('vnp_TxnRef')).toBe(payment.orderId);
    expect(q.get('vnp_Amount')).toBe('3000000');
    expect(q.get('vnp_TmnCode')).toBe(config.vnpay.tmnCode);
    expect(q.get('vnp_IpAddr')).toBe('203.0.113.7');
    const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    const signed = [...q.keys()]
      .filter((k) => k !== 'vnp_SecureHash')
      .sort()
      .map((k) => `${enc(k)}=${enc(q.get(k) ?? '')}`)
      .join('&');
    expect(q.get('vnp_SecureHash')).toBe(hmac('sha512', config.vnpay.hashSecret, signed));
  });

  it("asks MoMo's create API in the cloud with a signed request and hands out MoMo's pay URL", async () => {
    const s = setup({
      local: false,
      answer: () => ({ status: 200, body: { resultCode: 0, payUrl: 'https://test-payment.momo.vn/pay/abc' } }),
    });
    const d = withDossier(s);
    const { payment } = await start(s, d, 'momo');
    expect(payment.payUrl).toBe('https://test-payment.momo.vn/pay/abc');
    const [call] = s.posted;
    expect(call?.url).toBe('https://test-payment.momo.vn/v2/gateway/api/create');
    const b = call?.body;
    expect(b).toMatchObject({ orderId: payment.orderId, requestId: payment.requestId, amount: 30_000 });
    expect(b.ipnUrl).toBe('https://api.motcua.test/v1/payments/momo/ipn');
    expect(b.redirectUrl).toBe('https://api.motcua.test/v1/lookup/H56.27.01-20260310-0007');
    const raw =
      `accessKey=${config.momo.accessKey}&amount=${b.amount}&extraData=${b.extraData}&ipnUrl=${b.ipnUrl}` +
      `&orderId=${b.orderId}&orderInfo=${b.orderInfo}&partnerCode=${b.partnerCode}&redirectUrl=${b.redirectUrl}` +
      `&requestId=${b.requestId}&requestType=${b.requestType}`;
    expect(b.signature).toBe(hmac('sha256', config.momo.secretKey, raw));
  });

  it('answers 502 GATEWAY_UNAVAILABLE and keeps nothing when MoMo cannot be reached or refuses', async () => {
    for (const answer of [undefined, () => ({ status: 200, body: { resultCode: 99, message: 'Unknown' } })]) {
      const s = setup({ local: false, ...(answer ? { answer } : {}) });
      const d = withDossier(s);
      const err = await start(s, d, 'momo').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayUnavailableError);
      expect(err).toMatchObject({ status: 502, code: 'GATEWAY_UNAVAILABLE' });
      expect(s.payments.items.size).toBe(0);
    }
  });
});

describe('Function: newOrderId', () => {
  it('keeps only letters and digits and draws a different suffix each time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newOrderId('G09.20-20260609-0092637')));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^G0920202606090092637[A-Z0-9]{6}$/);
  });
});

describe('Function: applyGatewayResult', () => {
  let s: ReturnType<typeof setup>;
  let d: Dossier;
  let p: PaymentRecord;

  beforeEach(async () => {
    s = setup();
    d = withDossier(s);
    p = (await start(s, d, 'vnpay')).payment;
    s.advance(2);
  });

  it('confirms once: payment confirmed, dossier 6 -> 4 by the system with the clock resumed, both events', async () => {
    expect(await applyGatewayResult(s.deps, paid(p), 'corr-1')).toBe('confirmed');
    const after = s.dossiers.items.get(d.id);
    expect(after).toMatchObject({ status: 4, version: 5 });
    expect(after?.payment).toEqual({ amount: 30_000, gateway: 'vnpay', paidAt: s.clock.t.toISOString(), online: true });
    expect(after?.pauses.at(-1)?.to).toBe(s.clock.t.toISOString());
    expect(Date.parse(after?.dueAt ?? '')).toBeGreaterThan(Date.parse(d.dueAt ?? ''));
    expect(s.dossiers.histories).toEqual([expect.objectContaining({ from: 6, to: 4, role: 'system', version: 5 })]);
    expect(s.dossiers.events.map((e) => e.type)).toEqual(['DossierStatusChanged', 'PaymentConfirmed']);
    expect(s.dossiers.events[1]).toMatchObject({
      correlationId: 'corr-1',
      data: { orderId: p.orderId, gateway: 'vnpay', amount: 30_000, online: true },
    });
    expect(s.payments.items.get(p.orderId)).toMatchObject({ status: 'confirmed', transactionNo: '14123456' });
    expect(await s.payments.pendingOf(d.id, 'vnpay')).toBeUndefined();
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('already-settled');
    expect(s.dossiers.events).toHaveLength(2);
  });

  it('changes nothing for an unknown order, an order of the other gateway, or another amount', async () => {
    expect(await applyGatewayResult(s.deps, { ...paid(p), orderId: 'NOSUCHORDER' })).toBe('not-found');
    expect(await applyGatewayResult(s.deps, { ...paid(p), gateway: 'momo' })).toBe('not-found');
    expect(await applyGatewayResult(s.deps, paid(p, { amount: 31_000 }))).toBe('wrong-amount');
    expect(s.dossiers.items.get(d.id)).toEqual(d);
    expect(s.payments.items.get(p.orderId)?.status).toBe('pending');
  });

  it('marks a failed payment failed and leaves the dossier waiting', async () => {
    expect(await applyGatewayResult(s.deps, paid(p, { success: false }))).toBe('failed');
    expect(s.payments.items.get(p.orderId)?.status).toBe('failed');
    expect(s.dossiers.items.get(d.id)).toEqual(d);
    expect(s.dossiers.events).toHaveLength(0);
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('already-settled');
  });

  it('lets exactly one of eight simultaneous identical results through', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => applyGatewayResult(s.deps, paid(p))));
    expect(outcomes.filter((o) => o === 'confirmed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already-settled')).toHaveLength(7);
    expect(s.dossiers.histories).toHaveLength(1);
  });

  it('re-reads and retries when an official wrote the dossier in between', async () => {
    s.payments.beforeSettle = () => {
      const cur = s.dossiers.items.get(d.id) as Dossier;
      s.dossiers.items.set(d.id, { ...cur, version: cur.version + 1 });
    };
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('confirmed');
    expect(s.dossiers.items.get(d.id)).toMatchObject({ status: 4, version: 6 });
    expect(s.dossiers.histories.map((h) => h.version)).toEqual([6]);
  });

  it('records the payment without moving a dossier that already left status 6', async () => {
    const done = { ...d, status: 9 as const, version: 5, endedAt: s.clock.t.toISOString() };
    s.dossiers.items.set(d.id, done);
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('recorded');
    const after = s.dossiers.items.get(d.id);
    expect(after).toMatchObject({ status: 9, version: 6, payment: { amount: 30_000, gateway: 'vnpay' } });
    expect(s.dossiers.histories).toHaveLength(0);
    expect(s.dossiers.events.map((e) => e.type)).toEqual(['PaymentConfirmed']);
    expect(s.payments.items.get(p.orderId)?.status).toBe('confirmed');
  });

  it('lets the first of two gateways win; the second is a duplicate that changes nothing', async () => {
    const momo = (await start(s, d, 'momo')).payment;
    expect(await applyGatewayResult(s.deps, paid(momo))).toBe('confirmed');
    const afterFirst = s.dossiers.items.get(d.id);
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('duplicate');
    expect(s.dossiers.items.get(d.id)).toEqual(afterFirst);
    expect(s.payments.items.get(p.orderId)?.status).toBe('duplicate');
    expect(s.dossiers.events.filter((e) => e.type === 'PaymentConfirmed')).toHaveLength(1);
  });

  it('believes a gateway that reports a payment whose link we had expired', async () => {
    s.advance(20);
    await reconcilePayments(s.deps);
    expect(s.payments.items.get(p.orderId)?.status).toBe('expired');
    expect(await applyGatewayResult(s.deps, paid(p))).toBe('confirmed');
    expect(s.dossiers.items.get(d.id)?.status).toBe(4);
  });
});

describe('Function: reconcilePayments', () => {
  it('locally expires pending payments past their link and leaves younger ones alone', async () => {
    const s = setup();
    const d1 = withDossier(s);
    const d2 = withDossier(s, { id: '6f1c1e1a-0000-4000-8000-000000000002' });
    const old = (await start(s, d1, 'vnpay')).payment;
    s.advance(10);
    const young = (await start(s, d2, 'momo')).payment;
    s.advance(10);
    const summary = await reconcilePayments(s.deps);
    expect(summary).toMatchObject({ checked: 1, expired: 1, confirmed: 0, errors: [] });
    expect(s.payments.items.get(old.orderId)?.status).toBe('expired');
    expect(s.payments.items.get(young.orderId)?.status).toBe('pending');
    expect(s.dossiers.items.get(d1.id)?.status).toBe(6);
  });

  it("confirms through the same path when VNPay's querydr says it was paid", async () => {
    const s = setup({
      local: false,
      answer: ({ body }) => {
        const f: Record<string, string> = {
          vnp_ResponseId: 'r1',
          vnp_Command: 'querydr',
          vnp_ResponseCode: '00',
          vnp_Message: 'QueryDR Success',
          vnp_TmnCode: config.vnpay.tmnCode,
          vnp_TxnRef: body.vnp_TxnRef,
          vnp_Amount: '3000000',
          vnp_BankCode: 'NCB',
          vnp_PayDate: '20260310091000',
          vnp_TransactionNo: '14999999',
          vnp_TransactionType: '01',
          vnp_TransactionStatus: '00',
          vnp_OrderInfo: body.vnp_OrderInfo,
          vnp_PromotionCode: '',
          vnp_PromotionAmount: '',
        };
        const data = Object.values(f).join('|');
        return { status: 200, body: { ...f, vnp_SecureHash: hmac('sha512', config.vnpay.hashSecret, data) } };
      },
    });
    const d = withDossier(s);
    const p = (await start(s, d, 'vnpay')).payment;
    s.advance(20);
    const summary = await reconcilePayments(s.deps);
    expect(summary).toMatchObject({ checked: 1, confirmed: 1, errors: [] });
    const [q] = s.posted;
    expect(q?.url).toBe(VNPAY_SANDBOX.apiUrl);
    const b = q?.body;
    const reqData = [
      b.vnp_RequestId,
      b.vnp_Version,
      b.vnp_Command,
      b.vnp_TmnCode,
      b.vnp_TxnRef,
      b.vnp_TransactionDate,
      b.vnp_CreateDate,
      b.vnp_IpAddr,
      b.vnp_OrderInfo,
    ].join('|');
    expect(b.vnp_SecureHash).toBe(hmac('sha512', config.vnpay.hashSecret, reqData));
    expect(s.payments.items.get(p.orderId)).toMatchObject({ status: 'confirmed', transactionNo: '14999999' });
    expect(s.dossiers.items.get(d.id)?.status).toBe(4);
  });

  it("marks a payment failed when MoMo's query says the citizen refused, with a signed query", async () => {
    const s = setup({
      local: false,
      answer: ({ url, body }) =>
        url.endsWith('/create')
          ? { status: 200, body: { resultCode: 0, payUrl: 'https://test-payment.momo.vn/pay/x' } }
          : {
              status: 200,
              body: momoAnswer({ orderId: body.orderId, requestId: body.requestId, resultCode: 1006, amount: 30_000 }),
            },
    });
    const d = withDossier(s);
    const p = (await start(s, d, 'momo')).payment;
    s.advance(20);
    expect(await reconcilePayments(s.deps)).toMatchObject({ checked: 1, failed: 1 });
    const q = s.posted[1]?.body;
    const raw = `accessKey=${config.momo.accessKey}&orderId=${p.orderId}&partnerCode=${config.momo.partnerCode}&requestId=${q.requestId}`;
    expect(q.signature).toBe(hmac('sha256', config.momo.secretKey, raw));
    expect(s.payments.items.get(p.orderId)?.status).toBe('failed');
    expect(s.dossiers.items.get(d.id)?.status).toBe(6);
  });

  it('leaves a payment pending while its gateway cannot be reached', async () => {
    const s = setup({ local: false });
    const d = withDossier(s);
    const p: PaymentRecord = {
      id: 'p1',
      orderId: 'H562701202603100007AAAAAA',
      dossierId: d.id,
      dossierCode: d.code,
      ward: d.ward,
      gateway: 'vnpay',
      amount: 30_000,
      status: 'pending',
      dueSince: '2026-03-10T01:00:00.000Z',
      payUrl: 'https://sandbox.vnpayment.vn/x',
      createdAt: '2026-03-10T01:10:00.000Z',
      expiresAt: '2026-03-10T01:25:00.000Z',
      createdBy: 'citizen-a',
    };
    await s.payments.create(p);
    expect(await reconcilePayments(s.deps)).toMatchObject({ checked: 1, unchanged: 1, expired: 0 });
    expect(s.payments.items.get(p.orderId)?.status).toBe('pending');
  });

  it('reports a gateway that claims another amount, and confirms nothing', async () => {
    const s = setup({
      local: false,
      answer: ({ url, body }) =>
        url.endsWith('/create')
          ? { status: 200, body: { resultCode: 0, payUrl: 'https://test-payment.momo.vn/pay/x' } }
          : {
              status: 200,
              body: momoAnswer({
                orderId: body.orderId,
                requestId: body.requestId,
                resultCode: 0,
                amount: 1_000,
                transId: 1,
              }),
            },
    });
    const d = withDossier(s);
    const p = (await start(s, d, 'momo')).payment;
    s.advance(20);
    const summary = await reconcilePayments(s.deps);
    expect(summary.errors).toEqual([{ orderId: p.orderId, message: expect.stringContaining('another amount') }]);
    expect(s.payments.items.get(p.orderId)?.status).toBe('pending');
    expect(s.dossiers.items.get(d.id)?.status).toBe(6);
  });
});

describe('Function: parseGatewayConfig', () => {
  it('reads the five settings, trimmed', () => {
    const env = {
      VNPAY_TMN_CODE: ' TMN1 ',
      VNPAY_HASH_SECRET: 'h\n',
      MOMO_PARTNER_CODE: 'P',
      MOMO_ACCESS_KEY: 'a',
      MOMO_SECRET_KEY: 's',
      OTHER: 'x',
    };
    expect(parseGatewayConfig(env)).toEqual({
      vnpay: { tmnCode: 'TMN1', hashSecret: 'h' },
      momo: { partnerCode: 'P', accessKey: 'a', secretKey: 's' },
    });
  });

  it('names every missing, empty or placeholder setting, and never a value', () => {
    const err = (() => {
      try {
        parseGatewayConfig({
          VNPAY_TMN_CODE: 'T',
          VNPAY_HASH_SECRET: 'REPLACE_ME',
          MOMO_ACCESS_KEY: '',
          MOMO_SECRET_KEY: 7,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayConfigError);
    expect((err as GatewayConfigError).missing).toEqual([
      'VNPAY_HASH_SECRET',
      'MOMO_PARTNER_CODE',
      'MOMO_ACCESS_KEY',
      'MOMO_SECRET_KEY',
    ]);
    expect((err as Error).message).not.toContain('REPLACE_ME');
  });
});

describe('Payments that can go live: merchants per ward, return URLs, gateway answers', () => {
  const wardMerchants: MerchantSettings = {
    wards: { bimson: { vnpay: { tmnCode: 'BIMSONTMN', hashSecret: 'BIMSONSECRET0123456789' } } },
    fallback: config,
  };

  it("signs the pay URL with the ward's own merchant, and refuses a gateway the ward does not take (422)", async () => {
    const s = setup({ local: false, merchants: wardMerchants });
    const d = withDossier(s);
    const { payment } = await start(s, d, 'vnpay');
    const q = q0(payment.payUrl);
    expect(q.get('vnp_TmnCode')).toBe('BIMSONTMN');
    const data = payment.payUrl.split('?')[1]?.replace(/&vnp_SecureHash=.*$/, '') ?? '';
    expect(q.get('vnp_SecureHash')).toBe(hmac('sha512', 'BIMSONSECRET0123456789', data));
    const err = await start(s, withDossier(s, { id: '6f1c1e1a-0000-4000-8000-000000000009' }), 'momo').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 422, code: 'GATEWAY_NOT_OFFERED' });
    expect(s.posted).toHaveLength(0);
  });

  it.each([
    ['http://dichvucong.bimson.test/ho-so/7', 'plain http'],
    ['https://evil.example/ho-so/7', 'another host'],
    ['https://user:pass@dichvucong.bimson.test/ho-so/7', 'user and password'],
    ['https://dichvucong.bimson.test/ho-so/(7)', 'parentheses'],
    ['https://dichvucong.bimson.test/ho-so/~7', 'a tilde'],
    ['https://dichvucong.bimson.test/hồ-sơ', 'non-ASCII'],
    ['javascript:alert(1)', 'another scheme'],
  ])('refuses a returnUrl with %s (%s): 422 RETURN_URL_NOT_ALLOWED', async (returnUrl) => {
    const s = setup();
    const d = withDossier(s);
    const err = await startPayment(
      s.deps,
      owner,
      d.id,
      { gateway: 'vnpay', returnUrl },
      { ipAddr: '203.0.113.7' },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: 'RETURN_URL_NOT_ALLOWED' });
    expect(s.payments.items.size).toBe(0);
  });

  it('gives each start its own return URL instead of the first pending payment’s', async () => {
    const s = setup({ local: false });
    const d = withDossier(s);
    const go = (returnUrl?: string) =>
      startPayment(
        s.deps,
        owner,
        d.id,
        { gateway: 'vnpay', ...(returnUrl ? { returnUrl } : {}) },
        { ipAddr: '203.0.113.7' },
      );
    const a = await go('https://dichvucong.bimson.test/a');
    const again = await go('https://dichvucong.bimson.test/a');
    expect(again.payment.orderId).toBe(a.payment.orderId);
    const b = await go('https://dichvucong.bimson.test/b');
    expect(b.payment.orderId).not.toBe(a.payment.orderId);
    expect(q0(b.payment.payUrl).get('vnp_ReturnUrl')).toBe('https://dichvucong.bimson.test/b');
    const none = await go();
    expect(q0(none.payment.payUrl).get('vnp_ReturnUrl')).toBe(
      'https://api.motcua.test/v1/lookup/H56.27.01-20260310-0007',
    );
  });

  it("sends the server's address, not 127.0.0.1, as querydr's vnp_IpAddr", async () => {
    const s = setup({ local: false, answer: () => ({ status: 200, body: {} }) });
    const d = withDossier(s);
    await start(s, d, 'vnpay');
    s.advance(20);
    await reconcilePayments(s.deps);
    expect(s.posted[0]?.body.vnp_IpAddr).toBe('203.0.113.250');
  });

  it("does not believe MoMo's query answer when it is unsigned or signed with another key", async () => {
    for (const forge of [
      (b: ReturnType<typeof momoAnswer>) => {
        const { signature, ...rest } = b;
        return rest;
      },
      (b: ReturnType<typeof momoAnswer>) => ({ ...b, signature: hmac('sha256', 'not-the-secret', 'x') }),
      (b: ReturnType<typeof momoAnswer>) => ({ ...b, amount: 30_000, resultCode: 0 }),
    ]) {
      const s = setup({
        local: false,
        answer: ({ url, body }) =>
          url.endsWith('/create')
            ? { status: 200, body: { resultCode: 0, payUrl: 'https://test-payment.momo.vn/pay/x' } }
            : {
                status: 200,
                body: forge(
                  momoAnswer({ orderId: body.orderId, requestId: body.requestId, resultCode: 1006, amount: 30_000 }),
                ),
              },
      });
      const d = withDossier(s);
      const p = (await start(s, d, 'momo')).payment;
      s.advance(20);
      expect(await reconcilePayments(s.deps)).toMatchObject({
        checked: 1,
        unchanged: 1,
        failed: 0,
        confirmed: 0,
      });
      // Unbelieved, the answer is "unknown": the payment stays pending for the next run.
      expect(s.payments.items.get(p.orderId)?.status).toBe('pending');
      expect(s.dossiers.items.get(d.id)?.status).toBe(6);
    }
  });
});
