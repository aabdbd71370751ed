/**
 * Queue numbers over HTTP against the local servers (DynamoDB Local): kiosks, counters, board.
 * Each test plays on its own day through the local clock, so numbering starts at 1 in each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
let kiosk: string;
let kioskQT: string;
let citizen: string;
let receiver: string;
let receiverB: string;
let receiverQT: string;

const MIN = 60_000;
/** Real time that may pass between setting the clock and the handler reading it. */
const SLACK = 15_000;

beforeAll(async () => {
  s = await startStack();
  kiosk = await s.token('kiosk', 'kiosk-badinh-1', 'bimson');
  kioskQT = await s.token('kiosk', 'kiosk-trungtam-1', 'quangtrung');
  citizen = await s.token('citizen', 'citizen-a');
  receiver = await s.token('receiver', 'receiver-1', 'bimson');
  receiverB = await s.token('receiver', 'receiver-2', 'bimson');
  receiverQT = await s.token('receiver', 'receiver-9', 'quangtrung');
});
afterAll(async () => {
  if (!s) return;
  await s.call('POST', '/local/clock', { body: { offsetMs: 0 } });
  await s.stop();
});

/** Sets the handlers' clock to a Vietnam local time, `YYYY-MM-DDTHH:MM`. */
async function clock(local: string): Promise<number> {
  const target = Date.parse(`${local}:00+07:00`);
  const r = await s.call('POST', '/local/clock', { body: { offsetMs: target - Date.now() } });
  expect(r.status).toBe(200);
  return target;
}

const take = (point: string, group: string, token = kiosk) =>
  s.call('POST', '/v1/queue/tickets', { token, body: { point, group } });
const act = (counter: string, action: string, token = receiver, body?: unknown) =>
  s.call('POST', `/v1/queue/counters/${counter}/${action}`, { token, ...(body === undefined ? {} : { body }) });
const board = (point: string) => s.call('GET', `/v1/queue/board?point=${point}`);

describe('Kiosk queue numbers over HTTP against the local servers', () => {
  it('gives 30 concurrent requests for one group 30 distinct consecutive numbers', async () => {
    await clock('2030-03-04T07:30');
    const rs = await Promise.all(Array.from({ length: 30 }, () => take('badinh', 'hotich')));
    expect(rs.map((r) => r.status)).toEqual(Array(30).fill(201));
    const numbers = rs.map((r) => r.json.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(rs.map((r) => r.json.ticketId)).size).toBe(30);
    const first = rs.find((r) => r.json.number === 1)!.json;
    expect(first).toMatchObject({
      display: 'A001',
      point: 'badinh',
      group: 'hotich',
      groupName: 'Hộ tịch, chứng thực',
      day: '20300304',
    });
    expect(rs.find((r) => r.json.number === 30)!.json.display).toBe('A030');
    for (const r of rs) expect(r.json.waitingAhead).toBeGreaterThanOrEqual(0);
    // Sequentially, the line ahead is exact.
    const next = await take('badinh', 'hotich');
    expect([next.json.number, next.json.waitingAhead]).toEqual([31, 30]);
  });

  it('counts groups and points separately, and restarts the next day', async () => {
    await clock('2030-03-04T08:00');
    const b = await take('badinh', 'datdai');
    expect([b.status, b.json.display, b.json.waitingAhead]).toEqual([201, 'B001', 0]);
    const c = await take('badinh', 'xahoi');
    expect(c.json.display).toBe('C001');
    const a = await take('badinh', 'hotich');
    expect(a.json.display).toBe('A032');
    const other = await take('havinh', 'hotich');
    expect(other.json.display).toBe('A001');
    await clock('2030-03-05T07:00');
    const tomorrow = await take('badinh', 'hotich');
    expect([tomorrow.json.display, tomorrow.json.day]).toEqual(['A001', '20300305']);
  });

  it('refuses the kiosk of another ward, citizens, officials and anonymous callers', async () => {
    await clock('2030-03-06T08:00');
    const other = await take('badinh', 'hotich', kioskQT);
    expect([other.status, other.json.error.code]).toEqual([403, 'OTHER_WARD']);
    const own = await take('trungtam', 'hotich', kioskQT);
    expect([own.status, own.json.display]).toEqual([201, 'A001']);
    const byCitizen = await take('badinh', 'hotich', citizen);
    expect([byCitizen.status, byCitizen.json.error.code]).toEqual([403, 'FORBIDDEN']);
    const byReceiver = await take('badinh', 'hotich', receiver);
    expect(byReceiver.status).toBe(403);
    const anonymous = await s.call('POST', '/v1/queue/tickets', { body: { point: 'badinh', group: 'hotich' } });
    expect(anonymous.status).toBe(401);
    const kioskAtCounter = await act('badinh-1', 'next', kiosk);
    expect(kioskAtCounter.status).toBe(403);
  });

  it('answers bad requests with 400/404/415/422 and stable codes, never 500', async () => {
    await clock('2030-03-07T08:00');
    const cases: [Promise<{ status: number; json: any }>, number, string][] = [
      [s.call('POST', '/v1/queue/tickets', { token: kiosk }), 400, 'VALIDATION_FAILED'],
      [s.call('POST', '/v1/queue/tickets', { token: kiosk, body: [] }), 400, 'VALIDATION_FAILED'],
      [s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 'badinh' } }), 400, 'VALIDATION_FAILED'],
      [
        s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 'badinh', group: 'hotich', x: 1 } }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 7, group: 'hotich' } }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: '../x', group: 'hotich' } }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        s.call('POST', '/v1/queue/tickets', {
          token: kiosk,
          raw: '{"point":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'MALFORMED_JSON',
      ],
      [
        s.call('POST', '/v1/queue/tickets', {
          token: kiosk,
          raw: 'point=badinh',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [take('nowhere', 'hotich'), 422, 'UNKNOWN_POINT'],
      [take('badinh', 'nope'), 422, 'UNKNOWN_GROUP'],
      [act('badinh-1', 'dance'), 404, 'ACTION_NOT_FOUND'],
      [act('trungtam-1', 'next'), 404, 'COUNTER_NOT_FOUND'],
      [act('badinh-1', 'next', receiverQT), 404, 'COUNTER_NOT_FOUND'],
      [act('nope', 'next'), 404, 'COUNTER_NOT_FOUND'],
      [act('badinh-1', 'next', receiver, { groups: ['nope'] }), 422, 'UNKNOWN_GROUP'],
      [act('badinh-1', 'next', receiver, { groups: 'hotich' }), 400, 'VALIDATION_FAILED'],
      [act('badinh-1', 'next', receiver, { groups: [] }), 400, 'VALIDATION_FAILED'],
      [act('badinh-1', 'finish', receiver, { x: 1 }), 400, 'VALIDATION_FAILED'],
      [act('badinh-1', 'recall'), 409, 'COUNTER_IDLE'],
      [s.call('GET', '/v1/queue/board'), 400, 'VALIDATION_FAILED'],
      [board('nowhere'), 404, 'POINT_NOT_FOUND'],
      [board('badinh&ward=quangtrung'), 404, 'POINT_NOT_FOUND'],
    ];
    for (const [p, status, code] of cases) {
      const r = await p;
      expect([r.status, r.json?.error?.code]).toEqual([status, code]);
    }
  });

  it('gives two counters calling next at once different tickets, oldest first', async () => {
    await clock('2030-03-08T08:00');
    for (let i = 0; i < 2; i++) expect((await take('havinh', 'hotich')).status).toBe(201);
    const [a, b] = await Promise.all([act('havinh-1', 'next'), act('havinh-2', 'next', receiverB)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.json.ticket.display, b.json.ticket.display].sort()).toEqual(['A001', 'A002']);
    const none = await act('havinh-1', 'next');
    expect(none.status).toBe(409);
    expect(none.json.error.code).toBe('COUNTER_BUSY');
    await Promise.all([act('havinh-1', 'finish'), act('havinh-2', 'finish', receiverB)]);

    // Three counters racing over six tickets of two groups, twice: six distinct tickets.
    for (const g of ['hotich', 'datdai', 'hotich', 'datdai', 'hotich', 'datdai']) await take('badinh', g);
    const called: string[] = [];
    for (let round = 0; round < 2; round++) {
      const rs = await Promise.all(['badinh-1', 'badinh-2', 'badinh-3'].map((c) => act(c, 'next')));
      for (const r of rs) {
        expect(r.status).toBe(200);
        called.push(r.json.ticket.display);
      }
      await Promise.all(['badinh-1', 'badinh-2', 'badinh-3'].map((c) => act(c, 'finish')));
    }
    expect(called.sort()).toEqual(['A001', 'A002', 'A003', 'B001', 'B002', 'B003']);
    const empty = await act('badinh-1', 'next');
    expect([empty.status, empty.json.ticket]).toEqual([200, null]);
  });

  it('runs next → recall → finish and next → skip, recording the times', async () => {
    const issuedAt = await clock('2030-03-09T08:00');
    const t = (await take('badinh', 'xahoi')).json;
    expect(Date.parse(t.issuedAt) - issuedAt).toBeLessThan(SLACK);

    const calledAt = await clock('2030-03-09T08:05');
    const called = await act('badinh-2', 'next', receiverB);
    expect(called.status).toBe(200);
    expect(called.json.ticket).toMatchObject({
      ticketId: t.ticketId,
      display: 'C001',
      state: 'called',
      counterId: 'badinh-2',
      recalls: 0,
    });
    expect(called.json.ticket.waitingMs).toBeGreaterThanOrEqual(5 * MIN - SLACK);
    expect(called.json.ticket.waitingMs).toBeLessThan(5 * MIN + SLACK);
    expect(Date.parse(called.json.ticket.calledAt) - calledAt).toBeLessThan(SLACK);
    expect(called.json.counter.serving.display).toBe('C001');

    const busy = await act('badinh-2', 'next', receiverB);
    expect([busy.status, busy.json.error.code]).toEqual([409, 'COUNTER_BUSY']);
    expect(busy.json.error.details.current.serving.display).toBe('C001');

    await clock('2030-03-09T08:06');
    const recalled = await act('badinh-2', 'recall', receiverB);
    expect(recalled.status).toBe(200);
    expect(recalled.json.ticket).toMatchObject({
      state: 'recalled',
      recalls: 1,
      calledAt: called.json.ticket.calledAt,
    });
    const again = await act('badinh-2', 'recall', receiverB, {});
    expect(again.json.ticket.recalls).toBe(2);

    await clock('2030-03-09T08:15');
    const done = await act('badinh-2', 'finish', receiverB);
    expect(done.status).toBe(200);
    expect(done.json.ticket.state).toBe('served');
    expect(done.json.ticket.servingMs).toBeGreaterThanOrEqual(10 * MIN - SLACK);
    expect(done.json.ticket.servingMs).toBeLessThan(10 * MIN + SLACK);
    expect(done.json.ticket.servedAt).toBeDefined();
    expect(done.json.counter).toMatchObject({ serving: null, lastCalled: { display: 'C001', outcome: 'served' } });
    const twice = await act('badinh-2', 'finish', receiverB);
    expect([twice.status, twice.json.error.code]).toEqual([409, 'COUNTER_IDLE']);

    await clock('2030-03-09T08:20');
    await take('badinh', 'xahoi');
    await clock('2030-03-09T08:21');
    const second = await act('badinh-2', 'next', receiverB);
    expect(second.json.ticket.display).toBe('C002');
    await clock('2030-03-09T08:24');
    const skipped = await act('badinh-2', 'skip', receiverB);
    expect(skipped.status).toBe(200);
    expect(skipped.json.ticket).toMatchObject({ state: 'skipped', display: 'C002' });
    expect(skipped.json.ticket.skippedAt).toBeDefined();
    expect(skipped.json.ticket.servingMs).toBeUndefined();
    expect(skipped.json.ticket.waitingMs).toBeGreaterThanOrEqual(MIN - SLACK);
    expect(skipped.json.ticket.waitingMs).toBeLessThan(MIN + SLACK);
    expect(skipped.json.counter).toMatchObject({ serving: null, lastCalled: { display: 'C002', outcome: 'skipped' } });
    const late = await act('badinh-2', 'finish', receiverB);
    expect(late.json.error.code).toBe('COUNTER_IDLE');
  });

  it('lets one of two simultaneous actions on one counter win; the other gets 409', async () => {
    await clock('2030-03-10T08:00');
    await take('havinh', 'datdai');
    await act('havinh-1', 'next');
    const [a, b] = await Promise.all([act('havinh-1', 'finish'), act('havinh-1', 'skip', receiverB)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['COUNTER_CHANGED', 'COUNTER_IDLE']).toContain(loser.json.error.code);
  });

  it('shows on the public board what each counter serves, its last call and the waiting per group', async () => {
    await clock('2030-03-11T08:00');
    for (const g of ['hotich', 'hotich', 'datdai', 'hotich']) await take('badinh', g);
    await act('badinh-1', 'next');
    await act('badinh-3', 'next', receiverB);
    await act('badinh-3', 'finish', receiverB);
    const r = await board('badinh');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ward: 'bimson', point: 'badinh', day: '20300311', totalWaiting: 2 });
    const byId = Object.fromEntries(r.json.counters.map((c: any) => [c.counterId, c]));
    expect(Object.keys(byId)).toEqual(['badinh-1', 'badinh-2', 'badinh-3']);
    expect(byId['badinh-1'].serving.display).toBe('A001');
    expect(byId['badinh-1'].lastCalled.display).toBe('A001');
    expect(byId['badinh-2']).toMatchObject({ serving: null, lastCalled: null });
    expect(byId['badinh-3']).toMatchObject({ serving: null, lastCalled: { display: 'A002', outcome: 'served' } });
    expect(r.json.waiting.map((w: any) => [w.group, w.prefix, w.count])).toEqual([
      ['hotich', 'A', 1],
      ['datdai', 'B', 1],
      ['xahoi', 'C', 0],
    ]);
    // Public: no officials, no citizens, no internal ids.
    expect(r.text).not.toMatch(/receiver-|calledBy|kiosk-|"ticketId"/);
    const other = await board('havinh');
    expect(other.json.counters.map((c: any) => c.counterId)).toEqual(['havinh-1', 'havinh-2']);
    await act('badinh-1', 'finish');
  });

  it('documents the queue routes in the OpenAPI document', async () => {
    const r = await s.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const paths = r.json.paths;
    expect(paths['/v1/queue/tickets'].post.requestBody).toBeDefined();
    expect(paths['/v1/queue/tickets'].post.responses['201']).toBeDefined();
    expect(paths['/v1/queue/counters/{counterId}/{action}'].post.responses['200']).toBeDefined();
    expect(paths['/v1/queue/board'].get.parameters.map((p: any) => p.name)).toContain('point');
  });
});
