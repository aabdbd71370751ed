/**
 * The appointment reminder (nhắc lịch hẹn), apart from the booking use cases: the scheduled
 * function that runs it validates no input, so its bundle needs none of their schemas (zod and
 * its schemas built at module load: ~90 KB and several ms of every cold start).
 */
import { type Appointment, type AppointmentRepository, reminderDate } from '../appointments.ts';
import { newEvent } from '../events.ts';
import type { Clock } from '../ports.ts';
import { findPoint, type PointRef } from '../queue.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** A ward's receiving point, read from the ward directory. */
export async function pointRef(
  deps: { readonly wards: WardDirectory },
  ward: string,
  point: string,
): Promise<PointRef | undefined> {
  const w = await deps.wards.get(ward);
  return w ? findPoint(w.id, point, [w]) : undefined;
}

/**
 * The reminder run: between the sending hours, each booked appointment of tomorrow not yet
 * reminded gets one AppointmentReminderDue event (marked in the same transaction, so once).
 */
export async function sendReminders(deps: {
  readonly appointments: AppointmentRepository;
  readonly clock: Clock;
  readonly wards: WardDirectory;
}): Promise<{ date: string | null; reminded: number }> {
  const now = deps.clock.now();
  const date = reminderDate(now);
  if (!date) return { date: null, reminded: 0 };
  let reminded = 0;
  for (const a of await deps.appointments.dueReminders(date)) {
    if (a.status !== 'booked' || a.remindedAt) continue;
    const event = newEvent(
      'AppointmentReminderDue',
      now,
      { ward: a.ward, dossierId: a.id },
      {
        code: a.code,
        point: a.point,
        pointName: (await pointRef(deps, a.ward, a.point))?.point.name ?? a.point,
        start: a.start,
        end: a.end,
        sub: a.sub,
        ...(a.phone ? { phone: a.phone } : {}),
        ...(a.email ? { email: a.email } : {}),
      },
    );
    const next: Appointment = { ...a, version: a.version + 1, remindedAt: now.toISOString() };
    if (await deps.appointments.markReminded(next, a.version, event)) reminded++;
  }
  return { date, reminded };
}
