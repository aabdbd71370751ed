/**
 * Appointments over HTTP against the local servers (DynamoDB Local): slots from the ward's
 * calendar, bookings never over capacity under concurrency, cancellation, the capacity setting,
 * priority numbers at the kiosk and on the board, the reminder the day before, and the report's
 * visitor figures. Each test plays on its own days through the local clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
let kiosk: string;
let kioskHV: string;
let kioskQT: string;
let receiver: string;
let admin: string;
let adminQT: string;
let leader: string;
const citizens: string[] = [];

beforeAll(async () => {
  s = await startStack();
  kiosk = await s.token('kiosk', 'kiosk-badinh-1', 'bimson');
  kioskHV = await s.token('kiosk', 'kiosk-havinh-1', 'bimson');
  kioskQT = await s.token('kiosk', 'kiosk-trungtam-1', 'quangtrung');
  receiver = await s.token('receiver', 'receiver-1', 'bimson');
  admin = await s.token('admin', 'admin-1', 'bimson');
  adminQT = await s.token('admin', 'admin-9', 'quangtrung');
  leader = await s.token('leader', 'leader-1', 'bimson');
  for (let i = 0; i < 32; i++) citizens.push(await s.token('citizen', `citizen-${i}`));
}, 120_000);
afterAll(async () => {
  if (!s) return;
  await s.call('POST', '/local/clock', { body: { offsetMs: 0 } });
  await s.stop();
});

/** Sets the handlers' clock to a Vietnam local time, `YYYY-MM-DDTHH:MM`. */
async function clock(local: string): Promise<void> {
  const target = Date.parse(`${local}:00+07:00`);
  const r = await s.call('POST', '/local/clock', { body: { offsetMs: target - Date.now() } });
  expect(r.status).toBe(200);
}

/** The UTC instant of a local time, as the slots route gives slot starts. */
const at = (local: string) => new Date(`${local}:00+07:00`).toISOString();

const slots = (ward: string, point: string, date: string) =>
  s.call('GET', `/v1/appointments/slots?ward=${ward}&point=${point}&date=${date}`);
const book = (token: string, body: Record<string, unknown>) => s.call('POST', '/v1/appointments', { token, body });
const cancel = (token: string, id: string) => s.call('DELETE', `/v1/appointments/${id}`, { token });
const slotOf = async (ward: string, point: string, local: string) => {
  const r = await slots(ward, point, local.slice(0, 10));
  expect(r.status).toBe(200);
  return r.json.items.find((i: { start: string }) => i.start === at(local));
};
const priorityTicket = (token: string, point: string, appointmentCode: string) =>
  s.call('POST', '/v1/queue/tickets', { token, body: { point, appointmentCode } });

describe('Appointment slots', () => {
  it("lists a working day's slots in office hours, with capacity one per counter by default", async () => {
    await clock('2030-03-04T08:00');
    const r = await slots('bimson', 'badinh', '2030-03-05');
    expect(r.status).toBe(200);
    expect(r.json.slotMinutes).toBe(30);
    expect(r.json.items).toHaveLength(16); // 07:00-11:30 gives 9, 13:30-17:00 gives 7
    expect(r.json.items[0]).toEqual({
      start: at('2030-03-05T07:00'),
      end: at('2030-03-05T07:30'),
      label: '07:00-07:30',
      capacity: 3,
      available: 3,
    });
    expect(r.json.items.map((i: { label: string }) => i.label)).not.toContain('11:30-12:00');
    expect(r.json.items.at(-1).label).toBe('16:30-17:00');
    const havinh = await slots('bimson', 'havinh', '2030-03-05');
    expect(havinh.json.items[0].capacity).toBe(2);
  });

  it('has no slots on weekends and holidays, and the usual ones on a swapped working Saturday', async () => {
    await clock('2030-03-04T08:00');
    expect((await slots('bimson', 'badinh', '2030-03-09')).json.items).toEqual([]); // Saturday
    expect((await slots('bimson', 'badinh', '2030-03-10')).json.items).toEqual([]); // Sunday
    expect((await slots('bimson', 'badinh', '2030-04-30')).json.items).toEqual([]); // 30/4
    // The ward announces a swapped working Saturday (9/3) and a day off (Tue 12/3).
    const cal = await s.call('PUT', '/v1/admin/calendar/2030', {
      token: admin,
      body: { holidays: ['2030-03-12'], workingDays: ['2030-03-09'] },
    });
    expect(cal.status).toBe(200);
    expect((await slots('bimson', 'badinh', '2030-03-09')).json.items).toHaveLength(16);
    expect((await slots('bimson', 'badinh', '2030-03-12')).json.items).toEqual([]);
    const onSaturday = await book(citizens[0]!, { ward: 'bimson', point: 'badinh', start: at('2030-03-09T09:00') });
    expect(onSaturday.status).toBe(201);
    const onDayOff = await book(citizens[0]!, { ward: 'bimson', point: 'badinh', start: at('2030-03-12T09:00') });
    expect([onDayOff.status, onDayOff.json.error.code]).toEqual([422, 'NO_SUCH_SLOT']);
  });

  it('answers unknown points and bad dates with stable 4xx codes', async () => {
    expect((await slots('bimson', 'nowhere', '2030-03-05')).status).toBe(404);
    expect((await slots('bimson', 'trungtam', '2030-03-05')).json.error.code).toBe('POINT_NOT_FOUND');
    const bad = await slots('bimson', 'badinh', '2030-02-30');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await s.call('GET', '/v1/appointments/slots?ward=bimson&point=badinh')).status).toBe(400);
  });
});

describe('Booking', () => {
  it('never books more than the capacity: 30 citizens at once for one slot of 3 places', async () => {
    await clock('2030-03-04T08:00');
    const start = at('2030-03-05T09:00');
    const rs = await Promise.all(citizens.slice(0, 30).map((t) => book(t, { ward: 'bimson', point: 'badinh', start })));
    const ok = rs.filter((r) => r.status === 201);
    const full = rs.filter((r) => r.status === 409);
    expect(ok).toHaveLength(3);
    expect(full).toHaveLength(27);
    for (const r of full) expect(r.json.error.code).toBe('SLOT_FULL');
    for (const r of ok) {
      expect(r.json).toMatchObject({ point: 'badinh', start, status: 'booked' });
      expect(r.json.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    }
    expect(new Set(ok.map((r) => r.json.code)).size).toBe(3);
    expect(await slotOf('bimson', 'badinh', '2030-03-05T09:00')).toMatchObject({ capacity: 3, available: 0 });
    // The neighbouring slot is untouched.
    expect(await slotOf('bimson', 'badinh', '2030-03-05T09:30')).toMatchObject({ available: 3 });
  });

  it('gives back the place of a cancellation, and only once', async () => {
    await clock('2030-03-04T08:00');
    const start = at('2030-03-05T10:00');
    const a = await book(citizens[0]!, { ward: 'bimson', point: 'havinh', start });
    const b = await book(citizens[1]!, { ward: 'bimson', point: 'havinh', start });
    expect([a.status, b.status]).toEqual([201, 201]);
    const c = await book(citizens[2]!, { ward: 'bimson', point: 'havinh', start });
    expect([c.status, c.json.error.code]).toEqual([409, 'SLOT_FULL']);
    // Someone else cannot cancel it (and learns nothing about it).
    const stranger = await cancel(citizens[2]!, a.json.id);
    expect([stranger.status, stranger.json.error.code]).toEqual([404, 'APPOINTMENT_NOT_FOUND']);
    const cancelled = await cancel(citizens[0]!, a.json.id);
    expect([cancelled.status, cancelled.json.status]).toEqual([200, 'cancelled']);
    expect(await slotOf('bimson', 'havinh', '2030-03-05T10:00')).toMatchObject({ available: 1 });
    const again = await cancel(citizens[0]!, a.json.id);
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_CANCELLED']);
    expect(await slotOf('bimson', 'havinh', '2030-03-05T10:00')).toMatchObject({ available: 1 });
    const taken = await book(citizens[2]!, { ward: 'bimson', point: 'havinh', start });
    expect(taken.status).toBe(201);
    expect(await slotOf('bimson', 'havinh', '2030-03-05T10:00')).toMatchObject({ available: 0 });
    // The citizen who cancelled may book the slot again only if there is room.
    const back = await book(citizens[0]!, { ward: 'bimson', point: 'havinh', start });
    expect([back.status, back.json.error.code]).toEqual([409, 'SLOT_FULL']);
    const mine = await s.call('GET', '/v1/appointments', { token: citizens[0]! });
    expect(mine.json.items.find((i: { id: string }) => i.id === a.json.id).status).toBe('cancelled');
  });

  it('lets a citizen hold one booking per slot, even when asking twice at once', async () => {
    await clock('2030-03-04T08:00');
    const start = at('2030-03-05T13:30');
    const rs = await Promise.all([1, 2, 3].map(() => book(citizens[5]!, { ward: 'bimson', point: 'badinh', start })));
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of rs.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('ALREADY_BOOKED');
    expect(await slotOf('bimson', 'badinh', '2030-03-05T13:30')).toMatchObject({ available: 2 });
    const other = await book(citizens[5]!, { ward: 'bimson', point: 'badinh', start: at('2030-03-05T14:00') });
    expect(other.status).toBe(201);
  });

  it('refuses slots that do not exist, have begun, or are too far ahead; a no-show frees nothing', async () => {
    await clock('2030-03-05T08:00');
    // Not one of the 30 who raced for 5/3 09:00 above (three of them, at random, hold a booking).
    const noShow = await book(citizens[30]!, { ward: 'bimson', point: 'havinh', start: at('2030-03-05T08:30') });
    expect(noShow.status).toBe(201);
    await clock('2030-03-05T09:10');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-05T09:10') }, 422, 'NO_SUCH_SLOT'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-05T12:00') }, 422, 'NO_SUCH_SLOT'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-05T17:00') }, 422, 'NO_SUCH_SLOT'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-10T09:00') }, 422, 'NO_SUCH_SLOT'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-05T09:00') }, 422, 'SLOT_PASSED'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-05T07:00') }, 422, 'SLOT_PASSED'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-09-04T09:00') }, 422, 'BOOKING_TOO_FAR'],
      [{ ward: 'bimson', point: 'trungtam', start: at('2030-03-06T09:00') }, 422, 'UNKNOWN_POINT'],
      [{ ward: 'nowhere', point: 'badinh', start: at('2030-03-06T09:00') }, 422, 'UNKNOWN_WARD'],
      [{ ward: 'bimson', point: 'badinh', start: '2030-03-06 09:00' }, 400, 'VALIDATION_FAILED'],
      [{ ward: 'bimson', point: 'badinh' }, 400, 'VALIDATION_FAILED'],
      [{ ward: 'bimson', point: 'badinh', start: at('2030-03-06T09:00'), extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await book(citizens[6]!, body);
      expect([r.status, r.json?.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    // The same slot given with another offset is the same slot.
    const local = await book(citizens[6]!, { ward: 'bimson', point: 'badinh', start: '2030-03-06T09:00:00+07:00' });
    expect([local.status, local.json.start]).toEqual([201, at('2030-03-06T09:00')]);
    // The 09:00 slot of 5/3 has begun: shown without places, and its bookings cannot be cancelled to free one.
    expect(await slotOf('bimson', 'badinh', '2030-03-05T09:00')).toMatchObject({ capacity: 3, available: 0 });
    const late = await cancel(citizens[30]!, noShow.json.id);
    expect([late.status, late.json.error.code]).toEqual([409, 'SLOT_PASSED']);
    expect(await slotOf('bimson', 'havinh', '2030-03-05T08:30')).toMatchObject({ capacity: 2, available: 0 });
    const mine = (await s.call('GET', '/v1/appointments', { token: citizens[30]! })).json.items;
    expect(mine.map((i: { status: string }) => i.status)).toEqual(['booked']);
    // Latest first: the 14:00 booking of 5/3 has not begun, so it can still be cancelled.
    const later = (await s.call('GET', '/v1/appointments', { token: citizens[5]! })).json.items[0];
    expect(later.start).toBe(at('2030-03-05T14:00'));
    expect((await cancel(citizens[5]!, later.id)).status).toBe(200);
  });

  it("records the procedure, if it is one of the ward's", async () => {
    await clock('2030-03-04T08:00');
    const procs = await s.call('GET', '/v1/procedures?ward=bimson');
    const other = await s.call('GET', '/v1/procedures?ward=quangtrung');
    const pid = procs.json.items[0].id as string;
    const start = at('2030-03-06T10:00');
    const ok = await book(citizens[8]!, { ward: 'bimson', point: 'badinh', start, procedureId: pid });
    expect([ok.status, ok.json.procedureId]).toEqual([201, pid]);
    for (const procedureId of [other.json.items[0].id, 'khong-co']) {
      const r = await book(citizens[9]!, { ward: 'bimson', point: 'badinh', start, procedureId });
      expect([r.status, r.json.error.code]).toEqual([422, 'UNKNOWN_PROCEDURE']);
    }
  });

  it('accepts only citizens, and answers anonymous callers with 401', async () => {
    const body = { ward: 'bimson', point: 'badinh', start: at('2030-03-07T09:00') };
    expect((await s.call('POST', '/v1/appointments', { body })).status).toBe(401);
    expect((await book(receiver, body)).status).toBe(403);
    expect((await book(kiosk, body)).status).toBe(403);
    expect((await s.call('DELETE', '/v1/appointments/x', { token: receiver })).status).toBe(403);
  });
});

describe('Capacity per slot, set by the ward administrator', () => {
  it('changes the capacity of one point of its own ward only', async () => {
    await clock('2030-03-11T08:00');
    const put = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: admin,
      body: { point: 'havinh', capacity: 5 },
    });
    expect([put.status, put.json.capacity, put.json.defaultCapacity]).toEqual([200, 5, false]);
    expect(await slotOf('bimson', 'havinh', '2030-03-13T07:30')).toMatchObject({ capacity: 5, available: 5 });
    const rs = await Promise.all(
      citizens.slice(0, 12).map((t) => book(t, { ward: 'bimson', point: 'havinh', start: at('2030-03-13T07:30') })),
    );
    expect(rs.filter((r) => r.status === 201)).toHaveLength(5);
    expect(rs.filter((r) => r.status === 409 && r.json.error.code === 'SLOT_FULL')).toHaveLength(7);
    // Lowered below what is booked: nobody is turned out, nobody else gets in.
    await s.call('PUT', '/v1/admin/appointments/capacity', { token: admin, body: { point: 'havinh', capacity: 2 } });
    expect(await slotOf('bimson', 'havinh', '2030-03-13T07:30')).toMatchObject({ capacity: 2, available: 0 });
    const late = await book(citizens[20]!, { ward: 'bimson', point: 'havinh', start: at('2030-03-13T07:30') });
    expect(late.json.error.code).toBe('SLOT_FULL');
    const back = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: admin,
      body: { point: 'havinh', capacity: null },
    });
    expect([back.json.capacity, back.json.defaultCapacity]).toEqual([2, true]);
    const read = await s.call('GET', '/v1/admin/appointments/capacity?point=havinh', { token: admin });
    expect(read.json).toMatchObject({ point: 'havinh', capacity: 2, counters: 2, slotMinutes: 30 });
    // Another ward's point, another role.
    const other = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: adminQT,
      body: { point: 'havinh', capacity: 9 },
    });
    expect([other.status, other.json.error.code]).toEqual([404, 'POINT_NOT_FOUND']);
    const byReceiver = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: receiver,
      body: { point: 'havinh', capacity: 9 },
    });
    expect(byReceiver.status).toBe(403);
    const bad = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: admin,
      body: { point: 'havinh', capacity: -1 },
    });
    expect(bad.status).toBe(400);
  });

  it('changes the slot length only while no future slot holds a booking', async () => {
    await clock('2030-03-11T08:00');
    const refused = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: admin,
      body: { point: 'havinh', capacity: null, slotMinutes: 60 },
    });
    expect([refused.status, refused.json.error.code]).toEqual([409, 'SLOTS_BOOKED']);
    const ok = await s.call('PUT', '/v1/admin/appointments/capacity', {
      token: adminQT,
      body: { point: 'trungtam', capacity: 1, slotMinutes: 60 },
    });
    expect([ok.status, ok.json.slotMinutes]).toEqual([200, 60]);
    const r = await slots('quangtrung', 'trungtam', '2030-03-13');
    expect(r.json.items.map((i: { label: string }) => i.label)).toEqual([
      '07:00-08:00',
      '08:00-09:00',
      '09:00-10:00',
      '10:00-11:00',
      '13:30-14:30',
      '14:30-15:30',
      '15:30-16:30',
    ]);
  });
});

describe('Priority numbers at the kiosk', () => {
  it('gives a booking its priority number once, at its point on its day, and counters call it first', async () => {
    await clock('2030-04-01T08:00');
    const a = await book(citizens[10]!, { ward: 'bimson', point: 'badinh', start: at('2030-04-02T08:00') });
    const b = await book(citizens[11]!, { ward: 'bimson', point: 'badinh', start: at('2030-04-02T15:00') });
    const c = await book(citizens[12]!, { ward: 'bimson', point: 'badinh', start: at('2030-04-03T08:00') });
    const cancelled = await book(citizens[13]!, { ward: 'bimson', point: 'badinh', start: at('2030-04-02T08:30') });
    expect([a.status, b.status, c.status, cancelled.status]).toEqual([201, 201, 201, 201]);
    expect((await cancel(citizens[13]!, cancelled.json.id)).status).toBe(200);

    await clock('2030-04-02T07:00');
    // Two ordinary numbers before anyone with a booking.
    const a1 = await s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 'badinh', group: 'hotich' } });
    const a2 = await s.call('POST', '/v1/queue/tickets', { token: kiosk, body: { point: 'badinh', group: 'hotich' } });
    expect([a1.json.display, a2.json.display]).toEqual(['A001', 'A002']);
    await clock('2030-04-02T07:40');
    const early = await priorityTicket(kiosk, 'badinh', b.json.code); // 15:00 booking, far ahead
    expect(early.status).toBe(201);
    const p = await priorityTicket(kiosk, 'badinh', a.json.code.toLowerCase()); // typed in lower case
    expect(p.status).toBe(201);
    expect(p.json).toMatchObject({
      display: 'UT002',
      group: 'uutien',
      priority: true,
      appointmentCode: a.json.code,
      slotStart: at('2030-04-02T08:00'),
      day: '20300402',
    });
    expect(early.json.display).toBe('UT001');

    const refusals: [Promise<{ status: number; json: any }>, number, string][] = [
      [priorityTicket(kiosk, 'badinh', a.json.code), 409, 'APPOINTMENT_USED'],
      [priorityTicket(kiosk, 'badinh', c.json.code), 422, 'WRONG_DAY'],
      [priorityTicket(kioskHV, 'havinh', b.json.code), 409, 'APPOINTMENT_USED'],
      [priorityTicket(kiosk, 'badinh', cancelled.json.code), 409, 'APPOINTMENT_CANCELLED'],
      [priorityTicket(kiosk, 'badinh', 'ZZZZZZZZ'), 404, 'APPOINTMENT_NOT_FOUND'],
      [priorityTicket(kioskQT, 'trungtam', c.json.code), 404, 'APPOINTMENT_NOT_FOUND'],
      [priorityTicket(kioskQT, 'badinh', c.json.code), 403, 'OTHER_WARD'],
      [priorityTicket(receiver, 'badinh', c.json.code), 403, 'FORBIDDEN'],
    ];
    for (const [call, status, code] of refusals) {
      const r = await call;
      expect([r.status, r.json.error.code]).toEqual([status, code]);
    }
    // Another point on the right day.
    const d = await book(citizens[14]!, { ward: 'bimson', point: 'havinh', start: at('2030-04-02T09:00') });
    const wrongPoint = await priorityTicket(kiosk, 'badinh', d.json.code);
    expect([wrongPoint.status, wrongPoint.json.error.code]).toEqual([422, 'WRONG_POINT']);
    expect((await priorityTicket(kioskHV, 'havinh', d.json.code)).json.display).toBe('UT001');
    // The code is used: it can no longer be cancelled either.
    const used = await cancel(citizens[10]!, a.json.id);
    expect([used.status, used.json.error.code]).toEqual([409, 'APPOINTMENT_USED']);

    // The board shows the priority numbers apart, in calling order: at 07:50 the 08:00 booking is within
    // 15 minutes of its slot and goes first; the 15:00 one, who came early, waits in the ordinary order
    // (after A001 and A002, who came before).
    await clock('2030-04-02T07:50');
    const board = await s.call('GET', '/v1/queue/board?point=badinh');
    expect(board.json.priorityPrefix).toBe('UT');
    expect(board.json.priority).toEqual([
      { display: 'UT002', slotStart: at('2030-04-02T08:00'), priority: true },
      { display: 'UT001', slotStart: at('2030-04-02T15:00'), priority: true },
    ]);
    expect(board.json.waiting.find((w: { group: string }) => w.group === 'hotich').count).toBe(2);
    expect(board.json.totalWaiting).toBe(4);

    const order: string[] = [];
    for (const counter of ['badinh-1', 'badinh-2', 'badinh-3']) {
      const r = await s.call('POST', `/v1/queue/counters/${counter}/next`, { token: receiver });
      expect(r.status).toBe(200);
      order.push(r.json.ticket.display);
      if (r.json.ticket.display === 'UT002') expect(r.json.ticket.priority).toBe(true);
    }
    expect(order).toEqual(['UT002', 'A001', 'A002']);
    const after = await s.call('GET', '/v1/queue/board?point=badinh');
    const serving = after.json.counters.find((x: { counterId: string }) => x.counterId === 'badinh-1').serving;
    expect(serving).toMatchObject({ display: 'UT002', priority: true });
    expect(after.json.counters.find((x: { counterId: string }) => x.counterId === 'badinh-2').serving.priority).toBe(
      false,
    );
    await s.call('POST', '/v1/queue/counters/badinh-1/finish', { token: receiver });
    const last = await s.call('POST', '/v1/queue/counters/badinh-1/next', { token: receiver });
    expect(last.json.ticket.display).toBe('UT001');
  });
});

describe('Priority numbers under concurrency', () => {
  it('gives a code one number when two kiosks take it at once', async () => {
    await clock('2030-04-05T08:00');
    const a = await book(citizens[15]!, { ward: 'bimson', point: 'badinh', start: at('2030-04-08T09:00') });
    await clock('2030-04-08T08:00');
    const rs = await Promise.all([1, 2, 3].map(() => priorityTicket(kiosk, 'badinh', a.json.code)));
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of rs.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('APPOINTMENT_USED');
    const mine = (await s.call('GET', '/v1/appointments', { token: citizens[15]! })).json.items[0];
    expect(mine).toMatchObject({ status: 'checked-in', ticketDisplay: rs.find((r) => r.status === 201)!.json.display });
  });
});

describe('The reminder the day before', () => {
  it('reminds each booking of tomorrow once, in the portal inbox and by SMS, not the cancelled ones', async () => {
    await clock('2030-05-06T10:00');
    const kept = await book(citizens[20]!, {
      ward: 'bimson',
      point: 'havinh',
      start: at('2030-05-08T14:00'),
      phone: '0912345678',
    });
    const dropped = await book(citizens[21]!, { ward: 'bimson', point: 'havinh', start: at('2030-05-08T14:30') });
    const quiet = await book(citizens[22]!, { ward: 'bimson', point: 'badinh', start: at('2030-05-08T07:00') });
    expect([kept.status, dropped.status, quiet.status]).toEqual([201, 201, 201]);
    expect((await cancel(citizens[21]!, dropped.json.id)).status).toBe(200);
    const run = () => s.call('POST', '/local/schedules/appointment-reminders');
    const sent = async (id: string) =>
      (await s.call('GET', `/local/notifications?dossierId=${id}`)).json.items as {
        channel: string;
        to: string;
        kind: string;
        text: string;
      }[];

    // Two days before, and the day before at 06:00: nothing yet.
    expect((await run()).status).toBe(200);
    await clock('2030-05-07T06:00');
    await run();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await sent(kept.json.id)).toEqual([]);

    await clock('2030-05-07T09:00');
    await run();
    await run(); // a second run sends nothing more
    const msgs = await eventually(async () => {
      const m = await sent(kept.json.id);
      return m.length >= 2 ? m : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await sent(kept.json.id)).toHaveLength(2);
    expect(msgs.map((m) => m.channel).sort()).toEqual(['app', 'sms']);
    const sms = msgs.find((m) => m.channel === 'sms')!;
    expect(sms).toMatchObject({ to: '0912345678', kind: 'appointment-reminder' });
    expect(sms.text).toContain(kept.json.code);
    expect(sms.text).toContain('08/05/2030');
    expect(sms.text).toContain('14:00');
    expect(sms.text).toContain('Nhắc lịch hẹn');
    const app = await eventually(async () => {
      const m = await sent(quiet.json.id);
      return m.length ? m : undefined;
    });
    expect(app.map((m) => [m.channel, m.to])).toEqual([['app', 'citizen-22']]);
    expect(await sent(dropped.json.id)).toEqual([]);
  });
});

describe('Visitors in the reports', () => {
  it('gives the share of visitors with a booking and the waiting times with and without one', async () => {
    await clock('2030-06-03T08:00');
    const a = await book(citizens[25]!, { ward: 'bimson', point: 'havinh', start: at('2030-06-04T08:00') });
    expect(a.status).toBe(201);
    await clock('2030-06-04T07:30');
    for (let i = 0; i < 3; i++) {
      const r = await s.call('POST', '/v1/queue/tickets', {
        token: kioskHV,
        body: { point: 'havinh', group: 'xahoi' },
      });
      expect(r.status).toBe(201);
    }
    await clock('2030-06-04T07:55');
    expect((await priorityTicket(kioskHV, 'havinh', a.json.code)).status).toBe(201);
    await clock('2030-06-04T08:05'); // the priority number waited 10 min, C001 35 min
    const first = await s.call('POST', '/v1/queue/counters/havinh-1/next', { token: receiver });
    const second = await s.call('POST', '/v1/queue/counters/havinh-2/next', { token: receiver });
    expect([first.json.ticket.display, second.json.ticket.display]).toEqual(['UT001', 'C001']);
    await s.call('POST', '/v1/queue/counters/havinh-2/finish', { token: receiver });
    await clock('2030-06-04T08:30'); // C002 waited 60 min
    expect((await s.call('POST', '/v1/queue/counters/havinh-2/next', { token: receiver })).json.ticket.display).toBe(
      'C002',
    );

    const r = await s.call('GET', '/v1/reports?from=2030-06-04&to=2030-06-04', { token: leader });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      visitors: 4,
      visitorsWithBooking: 1,
      bookingRate: 0.25,
      averageWaitMinutesWithBooking: 10,
      averageWaitMinutesWithoutBooking: 47.5,
    });
    const none = await s.call('GET', '/v1/reports?from=2030-06-05&to=2030-06-05', { token: leader });
    expect(none.json).toMatchObject({
      visitors: 0,
      visitorsWithBooking: 0,
      bookingRate: 0,
      averageWaitMinutesWithBooking: null,
      averageWaitMinutesWithoutBooking: null,
    });
    const csv = await s.call('GET', '/v1/reports?from=2030-06-04&to=2030-06-04&format=csv', { token: leader });
    const [head, row] = csv.text.trim().split('\n');
    const cells = Object.fromEntries(head!.split(',').map((k, i) => [k, row!.split(',')[i]]));
    expect(cells).toMatchObject({ visitors: '4', visitorsWithBooking: '1', bookingRate: '0.25' });
  });
});

describe('The OpenAPI document', () => {
  it('lists the appointment routes with their roles', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json;
    expect(doc.paths['/v1/appointments/slots'].get['x-roles']).toBe('public');
    expect(doc.paths['/v1/appointments'].post['x-roles']).toEqual(['citizen']);
    expect(doc.paths['/v1/appointments/{appointmentId}'].delete['x-roles']).toEqual(['citizen']);
    expect(doc.paths['/v1/admin/appointments/capacity'].put['x-roles']).toEqual(['admin']);
    expect(JSON.stringify(doc.paths['/v1/queue/tickets'].post)).toContain('appointmentCode');
  });
});
