/**
 * The deadline watch (theo dõi hạn giải quyết): warns officials before a dossier goes overdue and,
 * when it does, issues the apology with a proposed new date (form 04 of Circular 03/2025).
 * Each warning is raised once per deadline, however often the watch runs.
 */
import { addWorkingHours, type WorkingCalendar, workingHoursBetween } from '../calendar.ts';
import { type Dossier, DUE_SOON_HOURS, isClockRunning, lateMoment } from '../dossier.ts';
import { newEvent } from '../events.ts';
import type { CalendarRepository, Clock, DossierRepository, SlaAlarms } from '../ports.ts';

interface SlaDeps {
  readonly dossiers: DossierRepository;
  readonly calendars: CalendarRepository;
  readonly clock: Clock;
  readonly alarms: SlaAlarms;
}

/** The new date the apology proposes: half the procedure's duration again, at least one working day. */
function proposedNewDate(cal: WorkingCalendar, d: Dossier, now: Date): Date {
  return addWorkingHours(cal, now, Math.max(8, Math.ceil(d.durationHours / 2)));
}

type SlaDecision = { kind: 'overdue'; newAppointmentAt: Date } | { kind: 'due-soon' } | undefined;

export function decide(cal: WorkingCalendar, d: Dossier, now: Date): SlaDecision {
  // Only an accepted dossier whose clock still runs: a withdrawn, ended or paused one is never overdue.
  if (!d.dueAt || !d.acceptedAt || !isClockRunning(d)) return undefined;
  const late = lateMoment(d);
  if (late && now.getTime() > Date.parse(late)) {
    // The apology (form 04) already went out before the deadline, with its new date: not again.
    if (d.extension) return undefined;
    return { kind: 'overdue', newAppointmentAt: proposedNewDate(cal, d, now) };
  }
  const due = new Date(d.dueAt);
  if (workingHoursBetween(cal, now, due) <= DUE_SOON_HOURS) return { kind: 'due-soon' };
  return undefined;
}

/** Looks at every open dossier of the wards due within a few days; returns what it raised. */
export async function watchDeadlines(
  deps: SlaDeps,
  wards: readonly string[],
): Promise<{ overdue: number; dueSoon: number }> {
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + 4 * 24 * 3600_000).toISOString();
  let overdue = 0;
  let dueSoon = 0;
  for (const ward of wards) {
    const cal = await deps.calendars.get(ward);
    let cursor: string | undefined;
    do {
      const page = await deps.dossiers.listDue(ward, horizon, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const d of page.items) {
        const decision = decide(cal, d, now);
        if (!decision || !d.dueAt) continue;
        const subject = { ward: d.ward, dossierId: d.id };
        if (decision.kind === 'overdue') {
          const event = newEvent('DossierOverdue', now, subject, {
            code: d.code,
            dueAt: d.dueAt,
            status: d.status,
            newAppointmentAt: decision.newAppointmentAt.toISOString(),
          });
          if (await deps.alarms.raiseOnce({ dossierId: d.id, kind: 'overdue', dueAt: d.dueAt }, event)) overdue++;
        } else {
          const event = newEvent('DossierDueSoon', now, subject, { code: d.code, dueAt: d.dueAt, status: d.status });
          if (await deps.alarms.raiseOnce({ dossierId: d.id, kind: 'due-soon', dueAt: d.dueAt }, event)) dueSoon++;
        }
      }
      cursor = page.next;
    } while (cursor);
  }
  return { overdue, dueSoon };
}
