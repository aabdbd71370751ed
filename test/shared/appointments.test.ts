import { describe, expect, it } from 'vitest';
import {
  type Appointment,
  assertBookable,
  available,
  callOrder,
  cancelAppointment,
  checkInAppointment,
  codePattern,
  daySlots,
  newCode,
  normalizeCode,
  PRIORITY_GROUP,
  reminderDate,
  reminderText,
  slotAt,
  visitIndicators,
} from '#shared/appointments.ts';
import { defaultCalendar, type WorkingCalendar } from '#shared/calendar.ts';
import { AppError } from '#shared/errors.ts';
import { newTicket, type Ticket } from '#shared/queue.ts';

const cal = defaultCalendar();
const vn = (local: string) => new Date(`${local}:00+07:00`);
const iso = (local: string) => vn(local).toISOString();
const labels = (date: string, minutes = 30, c: WorkingCalendar = cal) =>
  daySlots(c, date, minutes).map((s) => s.key.slice(11));

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return undefined;
};

describe('Function: daySlots', () => {
  it('cuts the office hours of a working day into slots that fit inside each period', () => {
    const slots = daySlots(cal, '2026-06-09', 30);
    expect(slots).toHaveLength(16);
    expect(slots[0]).toEqual({ key: '2026-06-09T07:00', start: iso('2026-06-09T07:00'), end: iso('2026-06-09T07:30') });
    expect(slots.map((s) => s.key.slice(11))).toEqual([
      '07:00',
      '07:30',
      '08:00',
      '08:30',
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
    ]);
    expect(slots.at(-1)?.end).toBe(iso('2026-06-09T17:00'));
  });

  it('drops a slot that would run past the end of its period (45 and 60 minutes)', () => {
    expect(labels('2026-06-09', 45)).toEqual([
      '07:00',
      '07:45',
      '08:30',
      '09:15',
      '10:00',
      '10:45',
      '13:30',
      '14:15',
      '15:00',
      '15:45',
    ]);
    expect(labels('2026-06-09', 60)).toEqual(['07:00', '08:00', '09:00', '10:00', '13:30', '14:30', '15:30']);
  });

  it('has none on weekends', () => {
    expect(labels('2026-06-13')).toEqual([]); // Saturday
    expect(labels('2026-06-14')).toEqual([]); // Sunday
  });

  it('has none on holidays and compensatory days off (2026 as announced)', () => {
    expect(labels('2026-01-01')).toEqual([]); // New Year
    expect(labels('2026-01-02')).toEqual([]); // Friday swapped for Saturday 10/1
    expect(labels('2026-02-16')).toEqual([]); // Tết
    expect(labels('2026-04-27')).toEqual([]); // Monday compensatory day for Hùng Kings
    expect(labels('2026-09-02')).toEqual([]); // National Day
    expect(labels('2026-08-31')).toEqual([]); // Monday swapped for Saturday 22/8
  });

  it('has the usual slots on a swapped working Saturday', () => {
    expect(labels('2026-01-10')).toHaveLength(16);
    expect(labels('2026-08-22')).toHaveLength(16);
    expect(labels('2026-08-15')).toEqual([]); // an ordinary Saturday
  });

  it("follows a year's own office hours and a ward's own days off", () => {
    const c: WorkingCalendar = {
      ...cal,
      years: {
        ...cal.years,
        '2031': { holidays: ['2031-03-04'], workingDays: ['2031-03-08'], hours: [{ start: '07:30', end: '11:30' }] },
      },
    };
    expect(labels('2031-03-03', 60, c)).toEqual(['07:30', '08:30', '09:30', '10:30']);
    expect(labels('2031-03-04', 60, c)).toEqual([]);
    expect(labels('2031-03-08', 60, c)).toHaveLength(4); // a Saturday made a working day
  });

  it('refuses a slot length that makes no sense and dates it cannot read', () => {
    expect(() => daySlots(cal, '2026-06-09', 0)).toThrow(RangeError);
    expect(() => daySlots(cal, 'nope', 30)).toThrow(RangeError);
  });
});

describe('Function: slotAt / assertBookable / available', () => {
  const slots = daySlots(cal, '2026-06-09', 30);

  it('finds a slot only by its exact start', () => {
    expect(slotAt(slots, vn('2026-06-09T08:30')).key).toBe('2026-06-09T08:30');
    expect(codeOf(() => slotAt(slots, vn('2026-06-09T08:31')))).toBe('NO_SUCH_SLOT');
    expect(codeOf(() => slotAt(slots, vn('2026-06-09T12:00')))).toBe('NO_SUCH_SLOT');
  });

  it('refuses a slot that has begun or lies beyond the horizon, and shows it without places', () => {
    const slot = slotAt(slots, vn('2026-06-09T08:30'));
    expect(codeOf(() => assertBookable(slot, vn('2026-06-09T08:29')))).toBeUndefined();
    expect(codeOf(() => assertBookable(slot, vn('2026-06-09T08:30')))).toBe('SLOT_PASSED');
    expect(codeOf(() => assertBookable(slot, vn('2026-04-01T08:00')))).toBe('BOOKING_TOO_FAR');
    expect(available(slot, 3, 1, vn('2026-06-09T08:00'))).toBe(2);
    expect(available(slot, 3, 5, vn('2026-06-09T08:00'))).toBe(0);
    expect(available(slot, 3, 0, vn('2026-06-09T08:30'))).toBe(0);
    expect(available(slot, 3, 0, vn('2026-04-01T08:00'))).toBe(0);
  });
});

const appointment = (over: Partial<Appointment> = {}): Appointment => ({
  id: 'a1',
  code: 'K7M2QX9P',
  ward: 'bimson',
  point: 'badinh',
  date: '2026-06-09',
  slotKey: '2026-06-09T08:00',
  start: iso('2026-06-09T08:00'),
  end: iso('2026-06-09T08:30'),
  sub: 'citizen-a',
  status: 'booked',
  version: 1,
  createdAt: iso('2026-06-01T08:00'),
  ...over,
});

describe('Function: cancelAppointment', () => {
  it('cancels a booking before its slot, and nothing after it has begun', () => {
    const c = cancelAppointment(appointment(), vn('2026-06-09T07:59'));
    expect([c.status, c.version]).toEqual(['cancelled', 2]);
    expect(codeOf(() => cancelAppointment(appointment(), vn('2026-06-09T08:00')))).toBe('SLOT_PASSED');
    expect(codeOf(() => cancelAppointment(c, vn('2026-06-09T07:59')))).toBe('ALREADY_CANCELLED');
    expect(codeOf(() => cancelAppointment(appointment({ status: 'checked-in' }), vn('2026-06-09T07:00')))).toBe(
      'APPOINTMENT_USED',
    );
  });
});

describe('Function: checkInAppointment', () => {
  it('checks in at the booked point on the booked day only, once', () => {
    const ok = checkInAppointment(appointment(), 'badinh', vn('2026-06-09T16:50'));
    expect(ok.status).toBe('checked-in');
    expect(codeOf(() => checkInAppointment(appointment(), 'havinh', vn('2026-06-09T07:30')))).toBe('WRONG_POINT');
    expect(codeOf(() => checkInAppointment(appointment(), 'badinh', vn('2026-06-08T07:30')))).toBe('WRONG_DAY');
    expect(codeOf(() => checkInAppointment(appointment(), 'badinh', vn('2026-06-10T07:30')))).toBe('WRONG_DAY');
    expect(codeOf(() => checkInAppointment(ok, 'badinh', vn('2026-06-09T07:30')))).toBe('APPOINTMENT_USED');
    expect(
      codeOf(() => checkInAppointment(appointment({ status: 'cancelled' }), 'badinh', vn('2026-06-09T07:30'))),
    ).toBe('APPOINTMENT_CANCELLED');
  });
});

describe('Function: newCode', () => {
  it('makes 8 unambiguous characters, different each time', () => {
    const codes = Array.from({ length: 500 }, () => newCode());
    for (const c of codes) expect(c).toMatch(codePattern);
    expect(new Set(codes).size).toBe(500);
    expect(normalizeCode(' k7m2-qx9p ')).toBe('K7M2QX9P');
  });
});

const PREFIX: Record<string, string> = { hotich: 'A', datdai: 'B' };
const ticket = (group: string, number: number, issued: string, slot?: string): Ticket => {
  const g = group === PRIORITY_GROUP.id ? PRIORITY_GROUP : { id: group, name: group, prefix: PREFIX[group] ?? 'X' };
  const t = newTicket({ ward: 'bimson', point: 'badinh', day: '20260609', group, number }, g, vn(issued));
  return slot ? { ...t, priority: true, slotStart: iso(slot) } : t;
};

describe('Function: callOrder', () => {
  const a1 = ticket('hotich', 1, '2026-06-09T07:00');
  const a2 = ticket('hotich', 2, '2026-06-09T07:05');
  const b1 = ticket('datdai', 1, '2026-06-09T07:02');
  const soon = ticket(PRIORITY_GROUP.id, 2, '2026-06-09T07:40', '2026-06-09T08:00');
  const late = ticket(PRIORITY_GROUP.id, 1, '2026-06-09T07:10', '2026-06-09T15:00');
  const earlier = ticket(PRIORITY_GROUP.id, 3, '2026-06-09T07:45', '2026-06-09T07:30');

  it('calls priority numbers first once their slot is within 15 minutes, by slot', () => {
    const order = callOrder([soon, late, earlier], [a1, a2, b1], vn('2026-06-09T07:46'));
    expect(order.map((t) => t.display)).toEqual(['UT003', 'UT002', 'A001', 'B001', 'A002', 'UT001']);
  });

  it('lets a priority number who came hours early wait in the ordinary order', () => {
    const order = callOrder([soon, late], [a1, a2, b1], vn('2026-06-09T07:30'));
    expect(order.map((t) => t.display)).toEqual(['A001', 'B001', 'A002', 'UT001', 'UT002']);
  });

  it('calls the priority numbers when nobody else waits', () => {
    expect(callOrder([late], [], vn('2026-06-09T07:30')).map((t) => t.display)).toEqual(['UT001']);
  });
});

describe('Function: reminderDate / reminderText', () => {
  it('reminds tomorrow, between 08:00 and 21:00 local time only', () => {
    expect(reminderDate(vn('2026-06-08T07:59'))).toBeUndefined();
    expect(reminderDate(vn('2026-06-08T08:00'))).toBe('2026-06-09');
    expect(reminderDate(vn('2026-06-08T20:59'))).toBe('2026-06-09');
    expect(reminderDate(vn('2026-06-08T21:00'))).toBeUndefined();
    expect(reminderDate(vn('2026-12-31T09:00'))).toBe('2027-01-01');
  });

  it('says when, where and the code, in Vietnamese', () => {
    const text = reminderText({
      code: 'K7M2QX9P',
      point: 'badinh',
      pointName: 'Điểm tiếp nhận số 1',
      start: iso('2026-06-09T08:00'),
      end: iso('2026-06-09T08:30'),
      sub: 'citizen-a',
    });
    expect(text).toContain('ngày mai 09/06/2026, từ 08:00 đến 08:30, tại Điểm tiếp nhận số 1');
    expect(text).toContain('K7M2QX9P');
  });
});

describe('Function: visitIndicators', () => {
  it('sums the days and points, and averages the waiting time per called ticket', () => {
    const day = {
      day: '20260609',
      point: 'badinh',
      issued: 0,
      issuedPriority: 0,
      called: 0,
      calledPriority: 0,
      waitMs: 0,
      waitMsPriority: 0,
    };
    const v = visitIndicators([
      {
        ...day,
        issued: 6,
        issuedPriority: 1,
        called: 5,
        calledPriority: 1,
        waitMs: 5 * 20 * 60_000,
        waitMsPriority: 5 * 60_000,
      },
      { ...day, point: 'havinh', issued: 2, issuedPriority: 1, called: 1, waitMs: 40 * 60_000 },
    ]);
    expect(v).toEqual({
      visitors: 10,
      visitorsWithBooking: 2,
      bookingRate: 0.2,
      averageWaitMinutesWithBooking: 5,
      averageWaitMinutesWithoutBooking: 23.3,
    });
    expect(visitIndicators([])).toEqual({
      visitors: 0,
      visitorsWithBooking: 0,
      bookingRate: 0,
      averageWaitMinutesWithBooking: null,
      averageWaitMinutesWithoutBooking: null,
    });
  });
});
