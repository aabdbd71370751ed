/**
 * Dossier use cases: submit, move through the lifecycle, withdraw, read. Pure orchestration over
 * the ports; every write is conditional and carries its events (transactional outbox).
 */
import * as z from 'zod';
import { text } from '../api/zod.ts';
import { isStaff, type Principal } from '../auth.ts';
import { addWorkingHours, nextWorkingMoment, type WorkingCalendar, workingHoursBetween } from '../calendar.ts';
import { assertComputable, isProvisional } from '../calendar-provenance.ts';
import { durationHours as procedureHours } from '../catalog.ts';
import {
  type Actor,
  assertTransition,
  type Channel,
  type Dossier,
  feeForPaymentDue,
  finishedOnTime,
  type HistoryEntry,
  isClockPaused,
  isClockRunning,
  isDossierId,
  isEnded,
  isLateAt,
  STATUS,
  type Status,
  WITHDRAWABLE,
} from '../dossier.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors.ts';
import { type AnyDomainEvent, newEvent } from '../events.ts';
import { computeFee, feeInputsSchema } from '../fee-rules.ts';
import { ID_NUMBER, SLUG, WARD_ID } from '../ids.ts';
import type {
  CalendarRepository,
  CatalogRepository,
  Clock,
  DossierFilter,
  DossierListings,
  DossierRepository,
  Page,
} from '../ports.ts';
import { dossiersIssuing } from '../receipts/issuing.ts';
import { receiptDraft } from '../receipts/receipts.ts';
import { vnDate } from '../vn-time.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** Online dossiers must be accepted within this many working hours (configurable per DESIGN.md §5). */
export const INTAKE_HOURS = 8;

export interface DossierDeps {
  readonly dossiers: DossierRepository;
  readonly catalog: CatalogRepository;
  readonly calendars: CalendarRepository;
  readonly clock: Clock;
  /** The ward directory, where a use case needs the ward itself (receipts name the ward's UBND). */
  readonly wards?: Pick<WardDirectory, 'get'>;
}

const phone = z
  .string()
  .regex(/^\+?[0-9]{9,12}$/, 'số điện thoại 9-12 chữ số')
  .openapi({ example: '0912345678' });

export const applicantSchema = z
  .object({
    fullName: text(120),
    /** Citizen identity number (số định danh cá nhân / CCCD): 9 or 12 digits. */
    idNumber: z.string().regex(ID_NUMBER, 'số định danh 9 hoặc 12 chữ số'),
    phone,
    email: z.email().max(254).optional(),
    address: text(300).optional(),
  })
  .strict()
  .openapi('Applicant');

export const submitSchema = z
  .object({
    ward: z.string().regex(WARD_ID),
    procedureId: z.string().regex(SLUG),
    channel: z.enum(['online', 'counter']),
    applicant: applicantSchema,
    /** Component ids the applicant brings or will upload; defaults to the procedure's documents. */
    components: z.array(z.string().regex(SLUG)).max(50).optional(),
    /**
     * The applicant's residential group (tổ dân phố) in the ward, one of
     * GET /v1/wards/{ward}/residential-groups; a helper's defaults to their own.
     */
    residentialGroup: z.string().regex(SLUG).optional(),
    /**
     * Counter intake outcome (kết quả tiếp nhận tại quầy), receivers only: accept (status 2, form
     * 01; the default), refuse (status 3 with `reason`, form 03) or incomplete (status 5 before
     * acceptance with `reason` and the `missing` components, form 02; the clock has not started).
     */
    intake: z.enum(['accept', 'refuse', 'incomplete']).optional(),
    /** Inputs of the procedure's fee rule (certified copies: pages and copies); the fee is computed. */
    feeInputs: feeInputsSchema.optional(),
    reason: text(1000).optional(),
    /** For `incomplete`: ids of the procedure's components the citizen must still bring. */
    missing: z.array(z.string().regex(SLUG)).max(50).optional(),
  })
  .strict()
  .openapi('SubmitDossier');
export type SubmitInput = z.infer<typeof submitSchema>;

export const transitionSchema = z
  .object({
    to: z.number().int().min(1).max(10),
    expectedVersion: z.number().int().min(1),
    reason: text(1000).optional(),
    fee: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict()
  .openapi('Transition');
export type TransitionInput = z.infer<typeof transitionSchema>;

export const withdrawSchema = z
  .object({ reason: text(1000).optional(), expectedVersion: z.number().int().min(1).optional() })
  .strict()
  .openapi('Withdraw');

const dayOf = (d: Date): string => {
  // The unit's day in Vietnam time.
  return vnDate(d).replace(/-/g, '');
};

/**
 * Submits a dossier: online by a citizen (status 1), online by a community digital team member
 * on a citizen's behalf (status 1, only in their ward), or at the counter by a receiver (status 2).
 */
export async function submitDossier(
  deps: DossierDeps & { readonly wards: WardDirectory },
  principal: Principal,
  input: SubmitInput,
  correlationId?: string,
): Promise<Dossier> {
  const ward = await deps.wards.get(input.ward);
  if (!ward) throw new UnprocessableError('UNKNOWN_WARD', 'Phường/xã không thuộc hệ thống.');
  let channel: Channel = input.channel;
  if (principal.role === 'citizen') {
    if (channel !== 'online') throw new ForbiddenError('Công dân chỉ nộp hồ sơ trực tuyến.', 'COUNTER_ONLY_FOR_STAFF');
  } else if (principal.role === 'helper') {
    if (principal.ward !== ward.id) {
      throw new ForbiddenError('Tổ công nghệ số chỉ hỗ trợ nộp hồ sơ tại phường/xã của mình.', 'OTHER_WARD');
    }
    if (channel !== 'online') {
      throw new ForbiddenError('Tổ công nghệ số chỉ hỗ trợ nộp hồ sơ trực tuyến.', 'ONLINE_ONLY_FOR_HELPER');
    }
  } else {
    if (principal.ward !== ward.id)
      throw new ForbiddenError('Cán bộ chỉ tiếp nhận hồ sơ của phường mình.', 'OTHER_WARD');
    channel = input.channel;
  }
  const residentialGroup =
    input.residentialGroup ?? (principal.role === 'helper' ? principal.residentialGroup : undefined);
  if (residentialGroup !== undefined && !ward.residentialGroups?.some((g) => g.id === residentialGroup)) {
    throw new UnprocessableError('UNKNOWN_RESIDENTIAL_GROUP', 'Tổ dân phố không thuộc phường/xã này.');
  }
  if (principal.role === 'helper' && residentialGroup === undefined) {
    throw new UnprocessableError('RESIDENTIAL_GROUP_REQUIRED', 'Cần cho biết tổ dân phố của người được hỗ trợ.');
  }
  const procedure = await deps.catalog.get(input.procedureId);
  if (!procedure || procedure.ward !== ward.id || !procedure.active) {
    throw new UnprocessableError('UNKNOWN_PROCEDURE', 'Thủ tục không có trong danh mục của phường/xã.');
  }
  if (channel === 'online' && !procedure.channels.some((c) => c !== 'counter')) {
    throw new UnprocessableError('NOT_AVAILABLE_ONLINE', 'Thủ tục này chỉ tiếp nhận trực tiếp tại Trung tâm.');
  }
  const byId = new Map(procedure.documents.map((d) => [d.id, d]));
  const chosen = input.components ?? procedure.documents.map((d) => d.id);
  for (const c of chosen) {
    if (!byId.has(c)) throw new UnprocessableError('UNKNOWN_COMPONENT', `Thành phần hồ sơ "${c}" không thuộc thủ tục.`);
  }
  const intake = input.intake ?? 'accept';
  if (intake !== 'accept' && (principal.role !== 'receiver' || channel !== 'counter')) {
    throw new UnprocessableError(
      'INTAKE_AT_COUNTER_ONLY',
      'Chỉ cán bộ tiếp nhận tại quầy mới từ chối hoặc yêu cầu bổ sung khi tiếp nhận.',
    );
  }
  if (intake !== 'accept' && !input.reason) {
    throw new UnprocessableError('REASON_REQUIRED', 'Cần nêu rõ lý do (từ chối, yêu cầu bổ sung).');
  }
  const missing = intake === 'incomplete' ? [...new Set(input.missing ?? [])] : [];
  for (const c of missing) {
    if (!byId.has(c)) throw new UnprocessableError('UNKNOWN_COMPONENT', `Thành phần hồ sơ "${c}" không thuộc thủ tục.`);
  }
  const now = deps.clock.now();
  const cal = await deps.calendars.get(ward.id);
  assertComputable(now, cal);
  const hours = procedureHours(procedure);
  const calendarDays = procedure.durationUnit === 'calendar-days' ? procedure.durationDays : undefined;
  const feeInputs = procedure.feeRule ? { pages: 1, copies: 1, ...input.feeInputs } : undefined;
  const fee = procedure.feeRule && feeInputs ? computeFee(procedure.feeRule, feeInputs) : procedure.fee;
  const status: Status =
    channel !== 'counter'
      ? STATUS.NEW
      : intake === 'refuse'
        ? STATUS.REFUSED
        : intake === 'incomplete'
          ? STATUS.SUPPLEMENT
          : STATUS.ACCEPTED;
  const at = now.toISOString();
  const id = crypto.randomUUID();
  const accepted = status === STATUS.ACCEPTED;
  const appointmentAt = accepted
    ? appointmentFrom(cal, now, { durationHours: hours, durationCalendarDays: calendarDays }).toISOString()
    : undefined;
  // Online: the intake deadline runs; a counter refusal or completion request starts no clock.
  const dueAt = accepted
    ? appointmentAt
    : status === STATUS.NEW
      ? addWorkingHours(cal, now, INTAKE_HOURS).toISOString()
      : undefined;
  return deps.dossiers.create(ward.unitCode, dayOf(now), (code) => {
    const dossier: Dossier = {
      id,
      code,
      ward: ward.id,
      procedureId: procedure.id,
      procedureName: procedure.name,
      channel,
      status,
      version: 1,
      ...(principal.role === 'citizen' ? { ownerSub: principal.sub } : {}),
      createdBy: principal.sub,
      applicant: input.applicant,
      ...(principal.role === 'helper' && residentialGroup
        ? { assistedBy: { sub: principal.sub, residentialGroup } }
        : {}),
      ...(residentialGroup ? { residentialGroup } : {}),
      components: [...new Set(chosen)].map((c) => {
        const doc = byId.get(c);
        return { id: c, name: doc?.name ?? c, required: doc?.required ?? true };
      }),
      durationHours: hours,
      ...(calendarDays !== undefined ? { durationCalendarDays: calendarDays } : {}),
      fee,
      ...(feeInputs ? { feeInputs } : {}),
      ...(procedure.excludesFinancialObligationTime ? { excludesFinancialObligationTime: true } : {}),
      submittedAt: at,
      ...(accepted ? { acceptedAt: at, appointmentAt } : {}),
      ...(appointmentAt && isProvisional(cal, new Date(appointmentAt)) ? { appointmentProvisional: true } : {}),
      ...(dueAt ? { dueAt } : {}),
      pauses: [],
      supplementCount: 0,
      ...(status === STATUS.REFUSED ? { endedAt: at } : {}),
      ...(missing.length ? { missingComponents: missing.map((c) => ({ id: c, name: byId.get(c)?.name ?? c })) } : {}),
      updatedAt: at,
    };
    const history: HistoryEntry = {
      dossierId: id,
      version: 1,
      at,
      to: status,
      by: principal.sub,
      role: principal.role,
      ...(principal.name ? { byName: principal.name } : {}),
      ...(principal.title ? { byTitle: principal.title } : {}),
      ...(intake !== 'accept' && input.reason ? { reason: input.reason } : {}),
    };
    const subject = { ward: ward.id, dossierId: id, ...(correlationId ? { correlationId } : {}) };
    const event = newEvent('DossierSubmitted', now, subject, {
      code,
      procedureId: procedure.id,
      channel,
      status,
      fee,
      submittedAt: at,
      ...(appointmentAt ? { appointmentAt } : {}),
      ...(principal.role === 'helper' ? { assisted: true } : {}),
    });
    return { dossier, history, events: [event] };
  });
}

/** The dossier if the principal may see it; 404 otherwise (never a hint it exists). */
export async function visibleDossier(deps: Pick<DossierDeps, 'dossiers'>, p: Principal, id: string): Promise<Dossier> {
  const d = isDossierId(id) ? await deps.dossiers.get(id) : undefined;
  if (!d || !canSee(p, d)) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
  return d;
}

/**
 * Who sees a dossier: a citizen who submitted it, or whose VNeID identity number is the
 * applicant's (whoever submitted it); the helper who submitted it (in their ward); its ward's staff.
 */
export function canSee(p: Principal, d: Dossier): boolean {
  if (p.role === 'citizen') {
    return (
      (d.ownerSub !== undefined && d.ownerSub === p.sub) ||
      (p.idNumber !== undefined && d.applicant.idNumber === p.idNumber)
    );
  }
  if (p.role === 'helper') return d.assistedBy !== undefined && d.assistedBy.sub === p.sub && d.ward === p.ward;
  if (isStaff(p)) return p.ward === d.ward;
  return false;
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

export interface MoveResult {
  readonly dossier: Dossier;
}

/** Moves a dossier; `actor` is the principal's role, or 'owner'/'system' for the withdraw and payment paths. */
export async function moveDossier(
  deps: DossierDeps,
  d: Dossier,
  move: { to: Status; expectedVersion: number; reason?: string | undefined; fee?: number | undefined },
  actor: Actor,
  official: string | Pick<Principal, 'sub' | 'name' | 'title'>,
  correlationId?: string,
  additional: (next: Dossier) => readonly AnyDomainEvent[] = () => [],
  patch: (next: Dossier) => Dossier = (n) => n,
): Promise<Dossier> {
  if (move.expectedVersion !== d.version) {
    throw new ConflictError('STALE_VERSION', 'Hồ sơ đã được người khác cập nhật; hãy tải lại.', publicState(d));
  }
  assertTransition(d.status, move.to, actor, publicState(d));
  if ((move.to === STATUS.REFUSED || move.to === STATUS.SUPPLEMENT || move.to === STATUS.STOPPED) && !move.reason) {
    throw new UnprocessableError('REASON_REQUIRED', 'Cần nêu rõ lý do (từ chối, yêu cầu bổ sung, dừng xử lý).');
  }
  const who = typeof official === 'string' ? { sub: official } : official;
  const by = who.sub;
  const now = deps.clock.now();
  const cal = await deps.calendars.get(d.ward);
  const procedure = move.to === STATUS.PAYMENT_DUE ? await deps.catalog.get(d.procedureId) : undefined;
  const next = patch(
    applyTransition(d, move.to, cal, now, {
      fee: move.fee,
      // A fee computed from the procedure's rule is the dossier's; otherwise the catalog's today.
      catalogFee: d.feeInputs ? d.fee : (procedure?.fee ?? d.fee),
      ...(procedure?.excludesFinancialObligationTime !== undefined
        ? { excludesFinancialObligationTime: procedure.excludesFinancialObligationTime }
        : {}),
    }),
  );
  const history: HistoryEntry = {
    dossierId: d.id,
    version: next.version,
    at: next.updatedAt,
    from: d.status,
    to: move.to,
    by,
    role: actor,
    ...(who.name ? { byName: who.name } : {}),
    ...(who.title ? { byTitle: who.title } : {}),
    ...(move.reason ? { reason: move.reason } : {}),
  };
  const subject = { ward: d.ward, dossierId: d.id, ...(correlationId ? { correlationId } : {}) };
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
  await deps.dossiers.update(next, d.version, history, [event, ...additional(next)]);
  return next;
}

/** A staff member moves a dossier of their ward. */
export async function transitionDossier(
  deps: DossierDeps,
  p: Principal,
  id: string,
  input: TransitionInput,
  correlationId?: string,
): Promise<Dossier> {
  const d = await visibleDossier(deps, p, id);
  if (!isStaff(p)) throw new ForbiddenError();
  const move = { ...input, to: input.to as Status };
  if (d.status === STATUS.PAYMENT_DUE && move.to === STATUS.PROCESSING && !d.payment) {
    // A receiver taking the fee in cash at the counter: the payment is recorded like an online one.
    const paidAt = deps.clock.now().toISOString();
    const payment = { amount: d.feeDue ?? d.fee, gateway: 'cash' as const, paidAt, online: false };
    const subject = { ward: d.ward, dossierId: d.id, ...(correlationId ? { correlationId } : {}) };
    // The cash receipt (biên lai) is issued in the transition's transaction.
    const receipt = receiptDraft(
      d,
      {
        ref: `CASH-${d.code}-${d.version}`,
        amount: payment.amount,
        method: 'cash',
        paidAt,
      },
      await deps.wards?.get(d.ward),
    );
    return moveDossier(
      {
        ...deps,
        dossiers: dossiersIssuing(deps.dossiers, { draft: receipt, ...(correlationId ? { correlationId } : {}) }),
      },
      d,
      move,
      p.role,
      p,
      correlationId,
      () => [
        newEvent('PaymentConfirmed', new Date(paidAt), subject, {
          orderId: `CASH-${d.code}-${d.version}`,
          gateway: 'cash',
          amount: payment.amount,
          online: false,
        }),
      ],
      (next) => ({ ...next, payment }),
    );
  }
  return moveDossier(deps, d, move, p.role, p, correlationId);
}

/** The owner asks to withdraw (1|2|4|5 -> 7). */
export async function withdrawDossier(
  deps: DossierDeps,
  p: Principal,
  id: string,
  input: { reason?: string | undefined; expectedVersion?: number | undefined },
  correlationId?: string,
): Promise<Dossier> {
  const d = await visibleDossier(deps, p, id);
  if (!WITHDRAWABLE.includes(d.status)) {
    throw new ConflictError('NOT_WITHDRAWABLE', 'Hồ sơ ở trạng thái này không thể xin rút.', publicState(d));
  }
  const move = { to: STATUS.WITHDRAW_REQUESTED, expectedVersion: input.expectedVersion ?? d.version };
  return moveDossier(deps, d, input.reason ? { ...move, reason: input.reason } : move, 'owner', p.sub, correlationId);
}

/** Working hours ahead that make a dossier "due soon" in lists and warnings. */
export const DUE_SOON_HOURS = 4;

/**
 * Lists what the principal may see; `overdue` narrows to open dossiers past their deadline now,
 * `dueSoon` to those due within the next DUE_SOON_HOURS working hours (not yet overdue).
 */
export async function listDossiers(
  deps: Pick<DossierDeps, 'clock' | 'calendars'> & { readonly dossiers: DossierRepository & DossierListings },
  p: Principal,
  filter: DossierFilter & { overdue?: boolean; dueSoon?: boolean },
): Promise<Page<Dossier>> {
  const { overdue, dueSoon, ...rest } = filter;
  let f: DossierFilter = rest;
  const earliest = (a: string | undefined, b: string) => (a && a < b ? a : b);
  const now = deps.clock.now();
  if (overdue || dueSoon) assertComputable(now);
  if (overdue) f = { ...f, dueBefore: earliest(f.dueBefore, now.toISOString()) };
  if (dueSoon && p.ward) {
    const horizon = addWorkingHours(await deps.calendars.get(p.ward), now, DUE_SOON_HOURS).toISOString();
    f = { ...f, dueBefore: earliest(f.dueBefore, horizon), dueAfter: now.toISOString() };
  }
  if (dueSoon && p.role === 'citizen') throw new ForbiddenError('Bộ lọc theo hạn chỉ dành cho cán bộ.', 'STAFF_FILTER');
  if (p.role === 'citizen') {
    if (f.dueBefore) throw new ForbiddenError('Bộ lọc theo hạn chỉ dành cho cán bộ.', 'STAFF_FILTER');
    return p.idNumber ? deps.dossiers.listFollowed(p.sub, p.idNumber, f) : deps.dossiers.listByOwner(p.sub, f);
  }
  if (p.role === 'helper') {
    if (f.dueBefore) throw new ForbiddenError('Bộ lọc theo hạn chỉ dành cho cán bộ.', 'STAFF_FILTER');
    if (!p.ward) throw new ForbiddenError();
    return deps.dossiers.listByHelper(p.ward, p.sub, f);
  }
  if (isStaff(p) && p.ward) return deps.dossiers.listByWard(p.ward, f);
  throw new ForbiddenError();
}

/** The state a 409 shows: enough to retry, nothing personal. */
export function publicState(d: Dossier): { id: string; status: Status; version: number } {
  return { id: d.id, status: d.status, version: d.version };
}

/** The dossier as the API shows it to someone allowed to see it. */
export function dossierView(d: Dossier, now: Date) {
  return { ...d, overdue: isOverdue(d, now) };
}

/**
 * Late at `now`: an accepted dossier by the clock rules (sticky, judged against its original
 * deadline); a dossier not yet accepted when its online intake deadline passed while still waiting.
 */
export function isOverdue(d: Dossier, now: Date): boolean {
  if (d.acceptedAt) return isLateAt(d, now);
  return isClockRunning(d) && d.dueAt !== undefined && now.getTime() > Date.parse(d.dueAt);
}
