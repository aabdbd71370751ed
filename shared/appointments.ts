/**
 * Appointments (đặt lịch hẹn) at a ward's receiving points: slots of the working day, a capacity
 * per slot, booking codes, the priority numbers (số ưu tiên) they give at the kiosk, the reminder
 * the day before, and the visitor figures of the reports.
 *
 * Pure domain: slot generation from the working calendar, the rules of booking, cancelling and
 * checking in, the order in which counters call priority tickets, and the repository ports.
 */
import { isWorkingDay, localDateKey, type WorkingCalendar, yearTable } from './calendar.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import type { AnyDomainEvent, EventPayloads } from './events.ts';
import { servingOrder, type Ticket, type TicketKey } from './queue.ts';
import { vnClock, vnDate, vnDayStart } from './vn-time.ts';
import type { ReceivingPoint } from './wards.ts';

/** Slot length when the ward's administrator has not set one. */
const DEFAULT_SLOT_MINUTES = 30;
/** How far ahead a slot can be booked, in days. */
const BOOKING_HORIZON_DAYS = 60;
/** Largest capacity an administrator may give a slot. */
export const MAX_SLOT_CAPACITY = 50;

/**
 * The pseudo service group of priority numbers (số ưu tiên): tickets taken with a booking code.
 * They are numbered apart (`UT001`), shown apart on the board, and called first (see {@link callOrder}).
 */
export const PRIORITY_GROUP = { id: 'uutien', name: 'Ưu tiên (có lịch hẹn)', prefix: 'UT' } as const;

/** A priority ticket is called before the others from this long before its slot starts. */
const PRIORITY_EARLY_MS = 15 * 60_000;

/** Reminders for tomorrow's appointments are sent by the runs between these local hours [from, to). */
const REMINDER_HOURS = { from: 8, to: 21 } as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The booking settings of a receiving point, kept by the ward's administrator. */
export interface PointSettings {
  readonly ward: string;
  readonly point: string;
  /** Bookings per slot; when absent, the point's number of counters. */
  readonly capacity?: number;
  readonly slotMinutes: number;
  /** 0 for settings never stored; writes are conditional on it. */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** The settings of a point nobody has configured. */
export const defaultSettings = (ward: string, point: string): PointSettings => ({
  ward,
  point,
  slotMinutes: DEFAULT_SLOT_MINUTES,
  version: 0,
});

/** Bookings a slot of the point takes: the administrator's figure, else one per counter. */
export const slotCapacity = (s: PointSettings, point: ReceivingPoint): number => s.capacity ?? point.counters.length;

/** One slot of a working day. */
export interface Slot {
  /** Local start, `YYYY-MM-DDTHH:MM`: the slot's key. */
  readonly key: string;
  /** UTC ISO instants. */
  readonly start: string;
  readonly end: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The instant a local (Asia/Ho_Chi_Minh) date and minute of the day begins. */
const localInstant = (date: string, minutes: number): number => vnDayStart(date) + minutes * MINUTE_MS;

/**
 * The slots of a local date at a point: working days only (weekends, holidays and compensatory
 * days off have none; a swapped working Saturday has the usual ones), inside the office hours
 * of that year, `slotMinutes` long; a slot that would run past the end of its period is left out
 * (07:00-11:30 in 30 minutes gives 9 slots, 13:30-17:00 gives 7).
 */
export function daySlots(cal: WorkingCalendar, date: string, slotMinutes: number): Slot[] {
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5) throw new RangeError(`invalid slot length: ${slotMinutes}`);
  const noon = new Date(localInstant(date, 12 * 60));
  if (Number.isNaN(noon.getTime())) throw new RangeError(`invalid date: ${date}`);
  if (!isWorkingDay(cal, noon)) return [];
  const periods = yearTable(cal, Number(date.slice(0, 4))).hours ?? cal.hours;
  const slots: Slot[] = [];
  for (const p of periods) {
    const end = minutesOf(p.end);
    for (let m = minutesOf(p.start); m + slotMinutes <= end; m += slotMinutes) {
      slots.push({
        key: `${date}T${hhmm(m)}`,
        start: new Date(localInstant(date, m)).toISOString(),
        end: new Date(localInstant(date, m + slotMinutes)).toISOString(),
      });
    }
  }
  return slots;
}

/** The slot of the day that starts exactly at `start`; 422 NO_SUCH_SLOT otherwise. */
export function slotAt(slots: readonly Slot[], start: Date): Slot {
  const slot = slots.find((s) => Date.parse(s.start) === start.getTime());
  if (!slot) {
    throw new UnprocessableError(
      'NO_SUCH_SLOT',
      'Không có khung giờ hẹn này (ngoài giờ làm việc, ngày nghỉ hoặc không đúng giờ bắt đầu của khung).',
    );
  }
  return slot;
}

/** The local date of an instant, `YYYY-MM-DD`. */
export const localDate = (at: Date): string => localDateKey(at);

/** The local date `days` after `date`. */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Whether a slot may still be booked at `now`: not started, and within the booking horizon. */
export function assertBookable(slot: Slot, now: Date): void {
  if (Date.parse(slot.start) <= now.getTime()) {
    throw new UnprocessableError('SLOT_PASSED', 'Khung giờ này đã qua, không thể đặt lịch.');
  }
  if (slot.key.slice(0, 10) > addDays(localDate(now), BOOKING_HORIZON_DAYS)) {
    throw new UnprocessableError('BOOKING_TOO_FAR', `Chỉ đặt lịch được trong vòng ${BOOKING_HORIZON_DAYS} ngày tới.`);
  }
}

/** Places left in a slot at `now`: none once it has started or beyond the horizon. */
export function available(slot: Slot, capacity: number, booked: number, now: Date): number {
  if (Date.parse(slot.start) <= now.getTime()) return 0;
  if (slot.key.slice(0, 10) > addDays(localDate(now), BOOKING_HORIZON_DAYS)) return 0;
  return Math.max(0, capacity - booked);
}

/**
 * `booked` → `cancelled` (by the owner, before the slot starts: the place is freed) |
 * `checked-in` (the kiosk gave the priority number). Nothing leaves `cancelled` or `checked-in`;
 * a booking nobody used stays `booked` and its place is never given back once the slot has begun.
 */
export type AppointmentStatus = 'booked' | 'cancelled' | 'checked-in';

export interface Appointment {
  readonly id: string;
  /** What the citizen shows at the kiosk (mã lịch hẹn). */
  readonly code: string;
  readonly ward: string;
  readonly point: string;
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Local start, `YYYY-MM-DDTHH:MM`. */
  readonly slotKey: string;
  readonly start: string;
  readonly end: string;
  /** The citizen (`sub`). */
  readonly sub: string;
  readonly procedureId?: string;
  /** Where the reminder goes besides the citizen's portal inbox. */
  readonly phone?: string;
  readonly email?: string;
  readonly status: AppointmentStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly cancelledAt?: string;
  readonly checkedInAt?: string;
  readonly ticketId?: string;
  readonly ticketDisplay?: string;
  readonly remindedAt?: string;
}

/** Booking codes: 8 characters without the look-alikes (0/O, 1/I/L), about 40 bits. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
export const codePattern = /^[2-9A-HJKMNP-Z]{8}$/;

/** A fresh random booking code. */
export function newCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const out: string[] = [];
  while (out.length < CODE_LENGTH) {
    for (const b of random(CODE_LENGTH * 2)) {
      // Rejection sampling keeps the characters uniform (248 = 8 x 31).
      if (b < 248 && out.length < CODE_LENGTH) out.push(CODE_ALPHABET[b % 31] as string);
    }
  }
  return out.join('');
}

/** A code as typed at a kiosk: spaces and dashes dropped, upper case. */
export const normalizeCode = (raw: string): string => raw.replace(/[\s-]/g, '').toUpperCase();

/** The owner cancels: only a booking, only before its slot starts. */
export function cancelAppointment(a: Appointment, now: Date): Appointment {
  if (a.status === 'cancelled')
    throw new ConflictError('ALREADY_CANCELLED', 'Lịch hẹn đã được hủy trước đó.', { status: a.status });
  if (a.status === 'checked-in') {
    throw new ConflictError('APPOINTMENT_USED', 'Lịch hẹn đã được dùng để lấy số ưu tiên, không thể hủy.', {
      status: a.status,
    });
  }
  if (Date.parse(a.start) <= now.getTime()) {
    throw new ConflictError('SLOT_PASSED', 'Khung giờ hẹn đã bắt đầu hoặc đã qua; lịch hẹn không thể hủy.', {
      status: a.status,
    });
  }
  return { ...a, status: 'cancelled', version: a.version + 1, cancelledAt: now.toISOString() };
}

const dmy = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/**
 * The kiosk checks a code in at `point` at `now`: a booking of that point for that day, not yet
 * used. Another point or another day is refused (422 WRONG_POINT, WRONG_DAY), a used or
 * cancelled code too (409 APPOINTMENT_USED, APPOINTMENT_CANCELLED).
 */
export function checkInAppointment(a: Appointment, point: string, now: Date): Appointment {
  if (a.status === 'cancelled') throw new ConflictError('APPOINTMENT_CANCELLED', 'Lịch hẹn này đã bị hủy.');
  if (a.status === 'checked-in') {
    throw new ConflictError(
      'APPOINTMENT_USED',
      a.ticketDisplay
        ? `Mã lịch hẹn đã được dùng để lấy số ${a.ticketDisplay}.`
        : 'Mã lịch hẹn đã được dùng để lấy số.',
      { ticketDisplay: a.ticketDisplay },
    );
  }
  if (a.point !== point) {
    throw new UnprocessableError('WRONG_POINT', 'Lịch hẹn này đặt tại điểm tiếp nhận khác.', { point: a.point });
  }
  const today = localDate(now);
  if (a.date !== today) {
    throw new UnprocessableError('WRONG_DAY', `Lịch hẹn này vào ngày ${dmy(a.date)}, không phải hôm nay.`, {
      date: a.date,
    });
  }
  return { ...a, status: 'checked-in', version: a.version + 1, checkedInAt: now.toISOString() };
}

/** Whether a ticket is a priority number (taken with a booking code). */
export const isPriority = (t: Pick<Ticket, 'group'>): boolean => t.group === PRIORITY_GROUP.id;

/**
 * The order in which a counter calls the waiting tickets of its point:
 * 1. priority tickets whose slot starts within {@link PRIORITY_EARLY_MS} (or has started), by
 *    slot start, then number;
 * 2. then everyone else in the usual order (oldest first, see `servingOrder`), which includes the
 *    priority tickets of citizens who came well before their slot: they wait like the others
 *    until their slot draws near, so that booking late in the day does not jump the queue all day.
 */
export function callOrder(priority: readonly Ticket[], regular: readonly Ticket[], now: Date): Ticket[] {
  const dueBy = now.getTime() + PRIORITY_EARLY_MS;
  const slotOf = (t: Ticket) => Date.parse(t.slotStart ?? t.issuedAt);
  const due = priority.filter((t) => slotOf(t) <= dueBy).sort((a, b) => slotOf(a) - slotOf(b) || a.number - b.number);
  const early = priority.filter((t) => slotOf(t) > dueBy);
  return [...due, ...servingOrder([...regular, ...early])];
}

/** The local date whose appointments a reminder run at `now` reminds: tomorrow, within the sending hours. */
export function reminderDate(now: Date): string | undefined {
  const hour = vnClock(now).getUTCHours();
  if (hour < REMINDER_HOURS.from || hour >= REMINDER_HOURS.to) return undefined;
  return addDays(localDate(now), 1);
}

/** What the reminder event carries (its subject id is the appointment's). */
type ReminderData = EventPayloads['AppointmentReminderDue'];

const localHm = (iso: string): string => vnClock(iso).toISOString().slice(11, 16);

/** The Vietnamese text of the reminder the day before. */
export function reminderText(d: ReminderData): string {
  const day = vnDate(d.start);
  return (
    `Nhắc lịch hẹn: ngày mai ${dmy(day)}, từ ${localHm(d.start)} đến ${localHm(d.end)}, tại ${d.pointName}. ` +
    `Mã lịch hẹn ${d.code}: nhập mã tại máy cấp số để nhận số ưu tiên. Nếu không đến được, vui lòng hủy lịch để nhường chỗ.`
  );
}

/** Why a booking transaction was refused. */
export type BookingRefusal = 'full' | 'duplicate' | 'code' | 'busy';

/** Where appointments, slot counters and point settings are kept. */
export interface AppointmentRepository {
  settings(ward: string, point: string): Promise<PointSettings | undefined>;
  /** Writes the settings if the stored version is still `expectedVersion` (0: none stored); else AppointmentChangedError. */
  putSettings(s: PointSettings, expectedVersion: number): Promise<void>;
  /** Whether any slot of the point on or after `fromDate` holds a booking. */
  hasBookingsFrom(ward: string, point: string, fromDate: string): Promise<boolean>;
  /** Bookings held per slot key of a point's date. */
  booked(ward: string, point: string, date: string): Promise<Readonly<Record<string, number>>>;
  /**
   * In one transaction: takes a place in the slot only while it holds fewer than `capacity`
   * bookings, the citizen's one booking of the slot, the appointment and its code. Throws
   * BookingRefusedError.
   */
  book(a: Appointment, capacity: number): Promise<void>;
  get(id: string): Promise<Appointment | undefined>;
  byCode(code: string): Promise<Appointment | undefined>;
  /** A citizen's appointments, latest slot first. */
  listByOwner(sub: string, limit: number): Promise<readonly Appointment[]>;
  /** Writes the cancelled appointment and frees its place in one transaction; AppointmentChangedError on a lost race. */
  cancel(next: Appointment, expectedVersion: number): Promise<void>;
  /**
   * Takes the next priority number of the point's day and, in one transaction, stores the ticket
   * `build` makes and the checked-in appointment (conditional on `expectedVersion`); returns the
   * ticket. AppointmentChangedError when the appointment changed (used twice at once).
   */
  checkIn(
    next: Appointment,
    expectedVersion: number,
    scope: Omit<TicketKey, 'number'>,
    build: (n: number) => Ticket,
  ): Promise<Ticket>;
  /** Booked appointments of a local date not yet reminded. */
  dueReminders(date: string): Promise<readonly Appointment[]>;
  /** Marks it reminded and writes the event, in one transaction; false if it changed meanwhile. */
  markReminded(next: Appointment, expectedVersion: number, event: AnyDomainEvent): Promise<boolean>;
}

/** One point's queue figures of one day (kept as tickets are issued and called). */
export interface QueueDayStats {
  readonly day: string;
  readonly point: string;
  readonly issued: number;
  readonly issuedPriority: number;
  readonly called: number;
  readonly calledPriority: number;
  readonly waitMs: number;
  readonly waitMsPriority: number;
}

/** Reads the queue's day figures of a ward. */
export interface QueueStatsReader {
  /** Days `YYYYMMDD` in [fromDay, toDay], every point. */
  days(ward: string, fromDay: string, toDay: string): Promise<readonly QueueDayStats[]>;
}

/** The report's visitor figures (new fields beside the indicators of shared/indicators.ts). */
export interface VisitIndicators {
  /** Queue numbers issued at the kiosks in the period (lượt khách lấy số). */
  readonly visitors: number;
  /** Of which priority numbers taken with a booking. */
  readonly visitorsWithBooking: number;
  /** visitorsWithBooking / visitors. */
  readonly bookingRate: number;
  /** Mean minutes from the number to the first call, for priority numbers; null when none was called. */
  readonly averageWaitMinutesWithBooking: number | null;
  /** The same for the others. */
  readonly averageWaitMinutesWithoutBooking: number | null;
}

const mean = (ms: number, n: number): number | null => (n === 0 ? null : Math.round((ms / n / 60_000) * 10) / 10);

/** Visitor figures from the day figures of a period. */
export function visitIndicators(days: readonly QueueDayStats[]): VisitIndicators {
  const sum = (k: keyof Omit<QueueDayStats, 'day' | 'point'>) => days.reduce((n, d) => n + (d[k] ?? 0), 0);
  const regular = sum('issued');
  const priority = sum('issuedPriority');
  const visitors = regular + priority;
  return {
    visitors,
    visitorsWithBooking: priority,
    bookingRate: visitors === 0 ? 0 : Math.round((priority / visitors) * 10_000) / 10_000,
    averageWaitMinutesWithBooking: mean(sum('waitMsPriority'), sum('calledPriority')),
    averageWaitMinutesWithoutBooking: mean(sum('waitMs'), sum('called')),
  };
}
