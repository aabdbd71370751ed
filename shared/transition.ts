/**
 * The dossier's moves as a pure planner (chuyển trạng thái hồ sơ): given a dossier, a move and
 * the context (the moment, the ward's calendar, who moves it), {@link planTransition} says what
 * to write: the next state, its history entry and its events. It reads no clock and does no I/O;
 * the caller commits the plan, through the repository (`DossierRepository.commit`) or together
 * with a payment's settlement (`PaymentRepository.settle`), as one conditional transaction.
 */
import type { Principal } from './auth.ts';
import { addWorkingHours, nextWorkingMoment, type WorkingCalendar, workingHoursBetween } from './calendar.ts';
import { isProvisional } from './calendar-provenance.ts';
import type { Procedure } from './catalog.ts';
import {
  type Actor,
  assertTransition,
  type Dossier,
  feeForPaymentDue,
  finishedOnTime,
  type HistoryEntry,
  isClockPaused,
  isClockRunning,
  isEnded,
  type Payment,
  STATUS,
  type Status,
} from './dossier.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import { type AnyDomainEvent, newEvent } from './events.ts';
import type { DossierChange } from './ports.ts';

/** The state a 409 shows: enough to retry, nothing personal. */
export function publicState(d: Dossier): { id: string; status: Status; version: number } {
  return { id: d.id, status: d.status, version: d.version };
}

/**
 * The appointment from acceptance: the duration in working hours, or, where the law counts
 * calendar days (ngày), that many days later, rolled to the next working moment if not worked.
 */
export function appointmentFrom(
  cal: WorkingCalendar,
  from: Date,
  d: { durationHours: number; durationCalendarDays?: number | undefined },
): Date {
  if (d.durationCalendarDays === undefined) return addWorkingHours(cal, from, d.durationHours);
  return nextWorkingMoment(cal, new Date(from.getTime() + d.durationCalendarDays * 24 * 3600_000));
}

/**
 * Computes the next state of a dossier for a legal move, with the clock rules of DESIGN.md §5b:
 * the clock starts at acceptance; it pauses only for the first supplement request (and, where the
 * procedure says so, while a fee is due), resuming where it stopped; it stops at the dossier's
 * end (3, 7, 8, 9, 10). Lateness sticks: a deadline that passed while the clock ran, or a second
 * supplement request, marks the dossier late for good, and a late dossier's clock no longer pauses.
 */
export function applyTransition(
  d: Dossier,
  to: Status,
  cal: WorkingCalendar,
  now: Date,
  extra: { fee?: number | undefined; catalogFee: number; excludesFinancialObligationTime?: boolean },
): Dossier {
  const at = now.toISOString();
  let next: Dossier = { ...d, status: to, version: d.version + 1, updatedAt: at };
  // The deadline passed while the clock ran: recorded at the first change after it, for good.
  if (!d.lateSince && d.acceptedAt && d.dueAt && isClockRunning(d) && now.getTime() > Date.parse(d.dueAt)) {
    next = { ...next, lateSince: d.dueAt };
  }
  // Leaving a pause: the clock resumes with the hours that were left.
  const open = d.pauses.at(-1);
  if (isClockPaused(d) && open) {
    const pauses = [...d.pauses.slice(0, -1), { ...open, to: at }];
    next = { ...next, pauses };
    if (d.acceptedAt) next = { ...next, dueAt: addWorkingHours(cal, now, open.remainingHours).toISOString() };
  }
  // Acceptance: the clock starts (1 -> 2, or 1 -> 5 -> 4 where acceptance comes with the supplement).
  if (!d.acceptedAt && (to === STATUS.ACCEPTED || to === STATUS.PROCESSING)) {
    const appointmentAt = appointmentFrom(cal, now, d).toISOString();
    next = { ...next, acceptedAt: at, appointmentAt, dueAt: appointmentAt };
    if (isProvisional(cal, new Date(appointmentAt))) next = { ...next, appointmentProvisional: true };
  }
  let pauses = false;
  if (to === STATUS.SUPPLEMENT) {
    if (!d.acceptedAt) {
      // Completion asked before acceptance: the processing clock has not started (only the intake one waits).
      pauses = true;
    } else {
      const count = d.supplementCount + 1;
      next = { ...next, supplementCount: count };
      if (count === 1) pauses = !next.lateSince;
      else if (!next.lateSince) next = { ...next, lateSince: at }; // a second request: late (portal formula 2.1)
    }
  }
  if (to === STATUS.PAYMENT_DUE) {
    next = { ...next, feeDue: feeForPaymentDue(extra.catalogFee, extra.fee), feeDueSince: at };
    const excluded = extra.excludesFinancialObligationTime ?? d.excludesFinancialObligationTime ?? false;
    pauses = excluded && !next.lateSince;
  }
  // Entering a pause: remember the working hours left on the clock.
  if (pauses) {
    const remaining = d.dueAt ? Math.max(0, workingHoursBetween(cal, now, new Date(d.dueAt))) : d.durationHours;
    const pause = { status: to, from: at, remainingHours: Math.round(remaining * 1000) / 1000 };
    next = { ...next, pauses: [...next.pauses, pause] };
  }
  if (isEnded(to) && !d.endedAt) next = { ...next, endedAt: at };
  return next;
}

/** A requested move: where to, on which version, why, and the fee of a move to 6. */
export interface Move {
  readonly to: Status;
  /** The version the mover saw; another one is a 409 STALE_VERSION. */
  readonly expectedVersion: number;
  /** Required for a refusal (3), a supplement request (5) and a stop (8). */
  readonly reason?: string | undefined;
  /** The fee of a move to 6 (nghĩa vụ tài chính); defaults to the catalog's. */
  readonly fee?: number | undefined;
  /** The payment this move records on the dossier (a fee paid online or in cash, 6 -> 4). */
  readonly payment?: Payment | undefined;
}

/** What a move depends on besides the dossier: read by the caller, so that the planner stays pure. */
export interface TransitionContext {
  /** The moment of the move. */
  readonly now: Date;
  /** The ward's working calendar. */
  readonly calendar: WorkingCalendar;
  /** The principal's role, or 'owner'/'system' for the withdraw and payment paths. */
  readonly actor: Actor;
  /** Who moves it: an official (their name and title go into the history), or a bare id ('momo'). */
  readonly by: string | Pick<Principal, 'sub' | 'name' | 'title'>;
  /** The procedure as the catalog has it today; needed only for a move to 6 (its fee, its flag). */
  readonly procedure?: Pick<Procedure, 'fee' | 'excludesFinancialObligationTime'> | undefined;
  readonly correlationId?: string | undefined;
}

/** What to write for a move: one conditional change, with its history entry and its events. */
export interface TransitionPlan extends DossierChange {
  readonly history: HistoryEntry;
  readonly events: readonly AnyDomainEvent[];
}

/** A move's own checks, before anything is read: the version, the status machine, a required reason. */
export function assertMove(d: Dossier, move: Pick<Move, 'to' | 'expectedVersion' | 'reason'>, actor: Actor): void {
  if (move.expectedVersion !== d.version) {
    throw new ConflictError('STALE_VERSION', 'Hồ sơ đã được người khác cập nhật; hãy tải lại.', publicState(d));
  }
  assertTransition(d.status, move.to, actor, publicState(d));
  if ((move.to === STATUS.REFUSED || move.to === STATUS.SUPPLEMENT || move.to === STATUS.STOPPED) && !move.reason) {
    throw new UnprocessableError('REASON_REQUIRED', 'Cần nêu rõ lý do (từ chối, yêu cầu bổ sung, dừng xử lý).');
  }
}

/**
 * Plans a move: checks it ({@link assertMove}), computes the next state ({@link applyTransition},
 * with the move's payment recorded on it), the history entry and the DossierStatusChanged event.
 * The plan is written only if the stored version is still the dossier's (`expectedVersion`).
 */
export function planTransition(d: Dossier, move: Move, context: TransitionContext): TransitionPlan {
  assertMove(d, move, context.actor);
  const { now, procedure } = context;
  const who = typeof context.by === 'string' ? { sub: context.by } : context.by;
  const by = who.sub;
  const moved = applyTransition(d, move.to, context.calendar, now, {
    fee: move.fee,
    // A fee computed from the procedure's rule is the dossier's; otherwise the catalog's today.
    catalogFee: d.feeInputs ? d.fee : (procedure?.fee ?? d.fee),
    ...(procedure?.excludesFinancialObligationTime !== undefined
      ? { excludesFinancialObligationTime: procedure.excludesFinancialObligationTime }
      : {}),
  });
  const next: Dossier = move.payment ? { ...moved, payment: move.payment } : moved;
  const history: HistoryEntry = {
    dossierId: d.id,
    version: next.version,
    at: next.updatedAt,
    from: d.status,
    to: move.to,
    by,
    role: context.actor,
    ...(who.name ? { byName: who.name } : {}),
    ...(who.title ? { byTitle: who.title } : {}),
    ...(move.reason ? { reason: move.reason } : {}),
  };
  const subject = {
    ward: d.ward,
    dossierId: d.id,
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
  };
  const onTime = isEnded(move.to) ? finishedOnTime(next) : undefined;
  const event = newEvent('DossierStatusChanged', now, subject, {
    code: d.code,
    procedureId: d.procedureId,
    channel: d.channel,
    from: d.status,
    to: move.to,
    version: next.version,
    by,
    supplementCount: next.supplementCount,
    ...(move.reason ? { reason: move.reason } : {}),
    ...(next.dueAt ? { dueAt: next.dueAt } : {}),
    ...(next.appointmentAt ? { appointmentAt: next.appointmentAt } : {}),
    ...(next.endedAt ? { endedAt: next.endedAt } : {}),
    ...(onTime === undefined ? {} : { onTime }),
  });
  return { next, expectedVersion: d.version, history, events: [event] };
}
