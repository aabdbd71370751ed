/**
 * Appointment use cases (đặt lịch hẹn): the public slots of a point's day, a citizen books and
 * cancels, the ward's administrator sets the capacity, the kiosk turns a code into a priority
 * number, and the daily reminder. Orchestration over the AppointmentRepository port.
 */
import * as z from 'zod';
import { slug } from '../api/zod.ts';
import {
  type Appointment,
  type AppointmentRepository,
  assertBookable,
  available,
  cancelAppointment,
  checkInAppointment,
  daySlots,
  defaultSettings,
  localDate,
  MAX_SLOT_CAPACITY,
  newCode,
  normalizeCode,
  type PointSettings,
  PRIORITY_GROUP,
  type Slot,
  slotAt,
  slotCapacity,
} from '../appointments.ts';
import type { Principal } from '../auth.ts';
import type { WorkingCalendar } from '../calendar.ts';
import { isoDateSchema } from '../calendar-schema.ts';
import {
  AppointmentChangedError,
  BookingRefusedError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from '../errors.ts';
import { WARD_ID } from '../ids.ts';
import type { CalendarRepository, CatalogRepository, Clock } from '../ports.ts';
import { findPoint, newTicket, type PointRef, pointsWithId, type QueueRepository, queueDay } from '../queue.ts';
import { fullJitter, retry } from '../retry.ts';
import { vnClock } from '../vn-time.ts';
import type { WardDirectory } from '../ward-directory.ts';
import { pointRef } from './appointment-reminders.ts';
import { issuedTicket, takeTicketSchema } from './queue.ts';

export interface AppointmentDeps {
  readonly appointments: AppointmentRepository;
  readonly calendars: CalendarRepository;
  readonly catalog: CatalogRepository;
  readonly queue: QueueRepository;
  readonly clock: Clock;
  /** Where the wards and their receiving points are read (wards are data). */
  readonly wards: WardDirectory;
}

const wardId = z.string().regex(WARD_ID, 'mã phường/xã không hợp lệ');

export const slotsQuerySchema = z.object({
  ward: wardId.meta({ example: 'bimson' }),
  point: slug.meta({ example: 'badinh' }),
  date: isoDateSchema.meta({ example: '2026-06-10' }),
});

export const bookSchema = z
  .object({
    ward: wardId.meta({ example: 'bimson' }),
    point: slug.meta({ example: 'badinh' }),
    /** The slot's start, as the slots route gives it (any offset). */
    start: z.iso.datetime({ offset: true }).meta({ example: '2026-06-10T00:30:00.000Z' }),
    procedureId: slug.optional(),
    /** For the SMS reminder the day before (the portal inbox gets it anyway). */
    phone: z
      .string()
      .regex(/^\+?[0-9]{9,12}$/, 'số điện thoại 9-12 chữ số')
      .optional()
      .meta({ example: '0912345678' }),
    email: z.email().max(254).optional(),
  })
  .strict()
  .meta({ id: 'AppointmentRequest' });
type BookInput = z.infer<typeof bookSchema>;

export const settingsQuerySchema = z.object({ point: slug.meta({ example: 'badinh' }) });

export const settingsSchema = z
  .object({
    point: slug.meta({ example: 'badinh' }),
    /** Bookings per slot (0 closes booking at the point); null goes back to the default (one per counter). */
    capacity: z.number().int().min(0).max(MAX_SLOT_CAPACITY).nullable(),
    /** Slot length in minutes; refused while future slots hold bookings. */
    slotMinutes: z.number().int().min(5).max(240).optional(),
  })
  .strict()
  .meta({ id: 'AppointmentCapacityRequest' });
type SettingsInput = z.infer<typeof settingsSchema>;

const priorityTicketSchema = z
  .object({
    point: slug.meta({ example: 'badinh' }),
    appointmentCode: z.string().min(1).max(20).meta({ example: 'K7M2QX9P' }),
  })
  .strict()
  .meta({ id: 'QueuePriorityTicketRequest' });
type PriorityTicketInput = z.infer<typeof priorityTicketSchema>;

/** The kiosk's body: a group's number, or a priority number for a booking code. */
export const ticketRequestSchema = z.union([takeTicketSchema, priorityTicketSchema]);

interface SlotView {
  readonly start: string;
  readonly end: string;
  /** Local time, `07:30-08:00`. */
  readonly label: string;
  readonly capacity: number;
  readonly available: number;
}

interface AppointmentView {
  readonly id: string;
  readonly code: string;
  readonly ward: string;
  readonly point: string;
  readonly pointName: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly status: Appointment['status'];
  readonly procedureId?: string;
  readonly ticketDisplay?: string;
}

const appointmentView = (a: Appointment, pointName?: string): AppointmentView => ({
  id: a.id,
  code: a.code,
  ward: a.ward,
  point: a.point,
  pointName: pointName ?? a.point,
  date: a.date,
  start: a.start,
  end: a.end,
  status: a.status,
  ...(a.procedureId ? { procedureId: a.procedureId } : {}),
  ...(a.ticketDisplay ? { ticketDisplay: a.ticketDisplay } : {}),
});

const label = (s: Slot) => {
  const end = vnClock(s.end).toISOString().slice(11, 16);
  return `${s.key.slice(11)}-${end}`;
};

/** The slots of a date; a year the calendar cannot know is 422 OUT_OF_CALENDAR. */
function slotsOf(cal: WorkingCalendar, date: string, settings: PointSettings): Slot[] {
  try {
    return daySlots(cal, date, settings.slotMinutes);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new UnprocessableError('OUT_OF_CALENDAR', 'Ngày nằm ngoài lịch làm việc đã biết.');
    }
    throw e;
  }
}

async function settingsOf(deps: AppointmentDeps, ward: string, point: string): Promise<PointSettings> {
  return (await deps.appointments.settings(ward, point)) ?? defaultSettings(ward, point);
}

/** The public slots of a point's date, with the places left. Days off have none. */
export async function listSlots(deps: AppointmentDeps, q: z.infer<typeof slotsQuerySchema>) {
  const found = await pointRef(deps, q.ward, q.point);
  if (!found) throw new NotFoundError('Điểm tiếp nhận', 'POINT_NOT_FOUND');
  const [settings, cal] = await Promise.all([settingsOf(deps, q.ward, q.point), deps.calendars.get(q.ward)]);
  const slots = slotsOf(cal, q.date, settings);
  const booked = slots.length ? await deps.appointments.booked(q.ward, q.point, q.date) : {};
  const capacity = slotCapacity(settings, found.point);
  const now = deps.clock.now();
  const items: SlotView[] = slots.map((s) => ({
    start: s.start,
    end: s.end,
    label: label(s),
    capacity,
    available: available(s, capacity, booked[s.key] ?? 0, now),
  }));
  return { ward: q.ward, point: q.point, date: q.date, slotMinutes: settings.slotMinutes, items };
}

/** One booking under contention (a busy slot item, an unlucky code): 40 tries, waits of at most 200 ms. */
const BOOK_RETRY = { attempts: 40, delay: fullJitter(10, 200, 5) } as const;

/**
 * A citizen books a slot: one booking per citizen and slot, never more bookings than the slot's
 * capacity (the repository's transaction decides), not in a slot that has begun.
 */
export async function bookAppointment(deps: AppointmentDeps, p: Principal, input: BookInput) {
  const ward = await deps.wards.get(input.ward);
  if (!ward) throw new UnprocessableError('UNKNOWN_WARD', `Phường/xã "${input.ward}" không tồn tại.`);
  const found = findPoint(ward.id, input.point, [ward]);
  if (!found) throw new UnprocessableError('UNKNOWN_POINT', `Điểm tiếp nhận "${input.point}" không tồn tại.`);
  if (input.procedureId) {
    const procedure = await deps.catalog.get(input.procedureId);
    if (procedure?.ward !== input.ward) {
      throw new UnprocessableError(
        'UNKNOWN_PROCEDURE',
        `Thủ tục "${input.procedureId}" không có trong danh mục của phường/xã.`,
      );
    }
  }
  const start = new Date(input.start);
  const date = localDate(start);
  const [settings, cal] = await Promise.all([
    settingsOf(deps, input.ward, input.point),
    deps.calendars.get(input.ward),
  ]);
  const slot = slotAt(slotsOf(cal, date, settings), start);
  const now = deps.clock.now();
  assertBookable(slot, now);
  const capacity = slotCapacity(settings, found.point);
  if (capacity === 0) throw new ConflictError('SLOT_FULL', 'Khung giờ này đã hết chỗ.');
  return retry(
    async () => {
      const a: Appointment = {
        id: crypto.randomUUID(),
        code: newCode(),
        ward: input.ward,
        point: input.point,
        date,
        slotKey: slot.key,
        start: slot.start,
        end: slot.end,
        sub: p.sub,
        ...(input.procedureId ? { procedureId: input.procedureId } : {}),
        ...(input.phone ? { phone: input.phone } : {}),
        ...(input.email ? { email: input.email } : {}),
        status: 'booked',
        version: 1,
        createdAt: now.toISOString(),
      };
      try {
        await deps.appointments.book(a, capacity);
      } catch (e) {
        if (!(e instanceof BookingRefusedError)) throw e;
        if (e.reason === 'full') throw new ConflictError('SLOT_FULL', 'Khung giờ này đã hết chỗ.');
        if (e.reason === 'duplicate') {
          throw new ConflictError('ALREADY_BOOKED', 'Ông/bà đã có lịch hẹn trong khung giờ này.');
        }
        throw e;
      }
      return appointmentView(a, found.point.name);
    },
    BOOK_RETRY,
    {
      // Another booking of the slot in flight: try again after a pause; a code already in use: at once.
      retryIf: (e) => (e instanceof BookingRefusedError ? (e.reason === 'busy' ? true : 'now') : false),
      exhausted: () => new ConflictError('SLOT_BUSY', 'Khung giờ này đang có nhiều người đặt; vui lòng thử lại.'),
    },
  );
}

/** The owner's appointment; someone else's is 404 like a missing one. */
async function ownAppointment(deps: AppointmentDeps, p: Principal, id: string): Promise<Appointment> {
  const a = await deps.appointments.get(id);
  if (!a || a.sub !== p.sub) throw new NotFoundError('Lịch hẹn', 'APPOINTMENT_NOT_FOUND');
  return a;
}

/** The owner cancels before the slot starts; the place is given back in the same transaction. */
export async function cancelOwnAppointment(deps: AppointmentDeps, p: Principal, id: string) {
  const a = await ownAppointment(deps, p, id);
  const next = cancelAppointment(a, deps.clock.now());
  try {
    await deps.appointments.cancel(next, a.version);
  } catch (e) {
    if (!(e instanceof AppointmentChangedError)) throw e;
    const current = await ownAppointment(deps, p, id);
    cancelAppointment(current, deps.clock.now()); // throws the reason (cancelled, used) when there is one
    throw new ConflictError('APPOINTMENT_CHANGED', 'Lịch hẹn vừa thay đổi; hãy tải lại.', { status: current.status });
  }
  return appointmentView(next, (await pointRef(deps, next.ward, next.point))?.point.name);
}

/** A citizen's own appointments, latest first. */
export async function myAppointments(deps: AppointmentDeps, p: Principal) {
  const items = await deps.appointments.listByOwner(p.sub, 100);
  const names = new Map<string, string>();
  for (const a of items) {
    const key = `${a.ward}#${a.point}`;
    if (!names.has(key)) names.set(key, (await pointRef(deps, a.ward, a.point))?.point.name ?? a.point);
  }
  return { items: items.map((a) => appointmentView(a, names.get(`${a.ward}#${a.point}`))) };
}

const adminPoint = async (deps: Pick<AppointmentDeps, 'wards'>, p: Principal, point: string): Promise<PointRef> => {
  if (!p.ward) throw new ForbiddenError('Cán bộ chưa được gán cho phường/xã nào.', 'NO_WARD');
  const found = await pointRef(deps, p.ward, point);
  if (!found) throw new NotFoundError('Điểm tiếp nhận', 'POINT_NOT_FOUND');
  return found;
};

const settingsView = (s: PointSettings, ref: PointRef) => ({
  ward: s.ward,
  point: s.point,
  capacity: slotCapacity(s, ref.point),
  /** True when the capacity is the default (one booking per counter). */
  defaultCapacity: s.capacity === undefined,
  counters: ref.point.counters.length,
  slotMinutes: s.slotMinutes,
  version: s.version,
});

/** The booking settings of one of the administrator's points. */
export async function getSettings(deps: AppointmentDeps, p: Principal, point: string) {
  const ref = await adminPoint(deps, p, point);
  return settingsView(await settingsOf(deps, ref.ward.id, ref.point.id), ref);
}

/**
 * The administrator sets a point's capacity per slot (null: back to one per counter) and, while
 * no future slot holds a booking, the slot length.
 */
export async function setSettings(deps: AppointmentDeps, p: Principal, input: SettingsInput) {
  const ref = await adminPoint(deps, p, input.point);
  const current = await settingsOf(deps, ref.ward.id, ref.point.id);
  const slotMinutes = input.slotMinutes ?? current.slotMinutes;
  const now = deps.clock.now();
  if (
    slotMinutes !== current.slotMinutes &&
    (await deps.appointments.hasBookingsFrom(ref.ward.id, ref.point.id, localDate(now)))
  ) {
    throw new ConflictError(
      'SLOTS_BOOKED',
      'Đã có lịch hẹn trong các ngày tới; không thể đổi độ dài khung giờ lúc này.',
      settingsView(current, ref),
    );
  }
  const { capacity: _old, ...rest } = current;
  const next: PointSettings = {
    ...rest,
    ...(input.capacity === null ? {} : { capacity: input.capacity }),
    slotMinutes,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: p.sub,
  };
  try {
    await deps.appointments.putSettings(next, current.version);
  } catch (e) {
    if (!(e instanceof AppointmentChangedError)) throw e;
    throw new ConflictError('SETTINGS_CHANGED', 'Cấu hình vừa được thay đổi ở nơi khác; hãy tải lại.');
  }
  return settingsView(next, ref);
}

/**
 * The kiosk of the point turns a booking code into a priority number (`UT001`), once, at the
 * booked point on the booked day.
 */
export async function takePriorityTicket(deps: AppointmentDeps, p: Principal, input: PriorityTicketInput) {
  const ward = p.ward ? await deps.wards.get(p.ward) : undefined;
  if (!ward) throw new ForbiddenError('Thiết bị hoặc cán bộ chưa được gán cho phường/xã nào.', 'NO_WARD');
  const found = findPoint(ward.id, input.point, [ward]);
  if (!found) {
    if (pointsWithId(input.point, await deps.wards.list()).length > 0) {
      throw new ForbiddenError('Kiosk chỉ cấp số cho điểm tiếp nhận của phường/xã mình.', 'OTHER_WARD');
    }
    throw new UnprocessableError('UNKNOWN_POINT', `Điểm tiếp nhận "${input.point}" không tồn tại.`);
  }
  const code = normalizeCode(input.appointmentCode);
  const a = await deps.appointments.byCode(code);
  // Another ward's booking is as unknown as a wrong code.
  if (!a || a.ward !== ward.id) throw new NotFoundError('Mã lịch hẹn', 'APPOINTMENT_NOT_FOUND');
  const now = deps.clock.now();
  const next = checkInAppointment(a, found.point.id, now);
  const scope = { ward: ward.id, point: found.point.id, day: queueDay(now), group: PRIORITY_GROUP.id };
  let ticket: Awaited<ReturnType<AppointmentRepository['checkIn']>>;
  try {
    ticket = await deps.appointments.checkIn(next, a.version, scope, (number) => ({
      ...newTicket({ ...scope, number }, PRIORITY_GROUP, now),
      priority: true,
      appointmentId: a.id,
      slotStart: a.start,
    }));
  } catch (e) {
    if (!(e instanceof AppointmentChangedError)) throw e;
    const current = await deps.appointments.get(a.id);
    if (current) checkInAppointment(current, found.point.id, now); // used or cancelled meanwhile
    throw new ConflictError('APPOINTMENT_CHANGED', 'Lịch hẹn vừa thay đổi; vui lòng thử lại.');
  }
  const counts = await deps.queue.waitingCounts(ward.id, found.point.id, scope.day);
  return {
    ...issuedTicket(ticket, found.point.name, Math.max(0, (counts[PRIORITY_GROUP.id] ?? 1) - 1)),
    priority: true as const,
    appointmentCode: a.code,
    slotStart: a.start,
  };
}
