/**
 * Dossier use cases: submit, move through the lifecycle, withdraw, read. Pure orchestration over
 * the ports; every write is conditional and carries its events (transactional outbox).
 */
import * as z from 'zod';
import { text } from '../api/zod.ts';
import { isStaff, type Principal } from '../auth.ts';
import { addWorkingHours, type WorkingCalendar, workingHoursBetween } from '../calendar.ts';
import { durationHours as procedureHours } from '../catalog.ts';
import {
  type Actor,
  assertTransition,
  type Channel,
  type Dossier,
  feeForPaymentDue,
  finishedOnTime,
  type HistoryEntry,
  isDossierId,
  isEnded,
  isPaused,
  STATUS,
  type Status,
  WITHDRAWABLE,
} from '../dossier.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors.ts';
import { type AnyDomainEvent, newEvent } from '../events.ts';
import type { CalendarRepository, CatalogRepository, Clock, DossierFilter, DossierRepository, Page } from '../ports.ts';
import { dossiersIssuing } from '../receipts/issuing.ts';
import { receiptDraft } from '../receipts/receipts.ts';
import { wardById } from '../wards.ts';

/** Online dossiers must be accepted within this many working hours (configurable per DESIGN.md §5). */
export const INTAKE_HOURS = 8;

export interface DossierDeps {
  readonly dossiers: DossierRepository;
  readonly catalog: CatalogRepository;
  readonly calendars: CalendarRepository;
  readonly clock: Clock;
}

const phone = z
  .string()
  .regex(/^\+?[0-9]{9,12}$/, 'số điện thoại 9-12 chữ số')
  .openapi({ example: '0912345678' });

export const applicantSchema = z
  .object({
    fullName: text(120),
    /** Citizen identity number (số định danh cá nhân / CCCD): 9 or 12 digits. */
    idNumber: z.string().regex(/^[0-9]{9}$|^[0-9]{12}$/, 'số định danh 9 hoặc 12 chữ số'),
    phone,
    email: z.email().max(254).optional(),
    address: text(300).optional(),
  })
  .strict()
  .openapi('Applicant');

export const submitSchema = z
  .object({
    ward: z.string().regex(/^[a-z0-9-]{1,40}$/),
    procedureId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/),
    channel: z.enum(['online', 'counter']),
    applicant: applicantSchema,
    /** Component ids the applicant brings or will upload; defaults to the procedure's documents. */
    components: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/))
      .max(50)
      .optional(),
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
  // The unit's day in Asia/Ho_Chi_Minh (UTC+7, no DST).
  const local = new Date(d.getTime() + 7 * 3600_000);
  return local.toISOString().slice(0, 10).replace(/-/g, '');
};

/** Submits a dossier: online by a citizen (status 1), or at the counter by a receiver (status 2). */
export async function submitDossier(
  deps: DossierDeps,
  principal: Principal,
  input: SubmitInput,
  correlationId?: string,
): Promise<Dossier> {
  const ward = wardById(input.ward);
  if (!ward) throw new UnprocessableError('UNKNOWN_WARD', 'Phường/xã không thuộc hệ thống.');
  let channel: Channel = input.channel;
  if (principal.role === 'citizen') {
    if (channel !== 'online') throw new ForbiddenError('Công dân chỉ nộp hồ sơ trực tuyến.', 'COUNTER_ONLY_FOR_STAFF');
  } else {
    if (principal.ward !== ward.id)
      throw new ForbiddenError('Cán bộ chỉ tiếp nhận hồ sơ của phường mình.', 'OTHER_WARD');
    channel = input.channel;
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
  const now = deps.clock.now();
  const cal = await deps.calendars.get(ward.id);
  const hours = procedureHours(procedure);
  const status: Status = channel === 'counter' ? STATUS.ACCEPTED : STATUS.NEW;
  const at = now.toISOString();
  const id = crypto.randomUUID();
  const accepted = status === STATUS.ACCEPTED;
  const appointmentAt = accepted ? addWorkingHours(cal, now, hours).toISOString() : undefined;
  const dueAt = accepted ? appointmentAt : addWorkingHours(cal, now, INTAKE_HOURS).toISOString();
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
      components: [...new Set(chosen)].map((c) => {
        const doc = byId.get(c);
        return { id: c, name: doc?.name ?? c, required: doc?.required ?? true };
      }),
      durationHours: hours,
      fee: procedure.fee,
      submittedAt: at,
      ...(accepted ? { acceptedAt: at, appointmentAt } : {}),
      ...(dueAt ? { dueAt } : {}),
      pauses: [],
      supplementCount: 0,
      updatedAt: at,
    };
    const history: HistoryEntry = {
      dossierId: id,
      version: 1,
      at,
      to: status,
      by: principal.sub,
      role: principal.role,
    };
    const subject = { ward: ward.id, dossierId: id, ...(correlationId ? { correlationId } : {}) };
    const event = newEvent('DossierSubmitted', now, subject, {
      code,
      procedureId: procedure.id,
      channel,
      status,
      fee: procedure.fee,
      submittedAt: at,
      ...(appointmentAt ? { appointmentAt } : {}),
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

export function canSee(p: Principal, d: Dossier): boolean {
  if (p.role === 'citizen') return d.ownerSub !== undefined && d.ownerSub === p.sub;
  if (isStaff(p)) return p.ward === d.ward;
  return false;
}

/**
 * Computes the next state of a dossier for a legal move, with the clock rules: the clock starts
 * at acceptance, pauses while a supplement or a fee is outstanding, and resumes where it stopped.
 */
export function applyTransition(
  d: Dossier,
  to: Status,
  cal: WorkingCalendar,
  now: Date,
  extra: { fee?: number; catalogFee: number },
): Dossier {
  const at = now.toISOString();
  let next: Dossier = { ...d, status: to, version: d.version + 1, updatedAt: at };
  // Leaving a pause: the clock resumes with the hours that were left.
  const open = d.pauses.at(-1);
  if (isPaused(d.status) && open && !open.to) {
    const pauses = [...d.pauses.slice(0, -1), { ...open, to: at }];
    next = { ...next, pauses };
    if (d.acceptedAt) next = { ...next, dueAt: addWorkingHours(cal, now, open.remainingHours).toISOString() };
  }
  // Acceptance: the clock starts (1 -> 2, or 1 -> 5 -> 4 where acceptance comes with the supplement).
  if (!d.acceptedAt && (to === STATUS.ACCEPTED || to === STATUS.PROCESSING)) {
    const appointmentAt = addWorkingHours(cal, now, d.durationHours).toISOString();
    next = { ...next, acceptedAt: at, appointmentAt, dueAt: appointmentAt };
  }
  // Entering a pause: remember the working hours left on the clock.
  if (isPaused(to)) {
    const remaining = d.dueAt ? Math.max(0, workingHoursBetween(cal, now, new Date(d.dueAt))) : d.durationHours;
    const pause = { status: to, from: at, remainingHours: Math.round(remaining * 1000) / 1000 };
    next = { ...next, pauses: [...next.pauses, pause] };
  }
  if (to === STATUS.SUPPLEMENT) next = { ...next, supplementCount: d.supplementCount + 1 };
  if (to === STATUS.PAYMENT_DUE) next = { ...next, feeDue: feeForPaymentDue(extra.catalogFee, extra.fee) };
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
  move: { to: Status; expectedVersion: number; reason?: string; fee?: number },
  actor: Actor,
  by: string,
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
  const now = deps.clock.now();
  const cal = await deps.calendars.get(d.ward);
  const procedure = move.to === STATUS.PAYMENT_DUE ? await deps.catalog.get(d.procedureId) : undefined;
  const next = patch(applyTransition(d, move.to, cal, now, { fee: move.fee, catalogFee: procedure?.fee ?? d.fee }));
  const history: HistoryEntry = {
    dossierId: d.id,
    version: next.version,
    at: next.updatedAt,
    from: d.status,
    to: move.to,
    by,
    role: actor,
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
    const receipt = receiptDraft(d, {
      ref: `CASH-${d.code}-${d.version}`,
      amount: payment.amount,
      method: 'cash',
      paidAt,
    });
    return moveDossier(
      {
        ...deps,
        dossiers: dossiersIssuing(deps.dossiers, { draft: receipt, ...(correlationId ? { correlationId } : {}) }),
      },
      d,
      move,
      p.role,
      p.sub,
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
  return moveDossier(deps, d, move, p.role, p.sub, correlationId);
}

/** The owner asks to withdraw (1|2|4|5 -> 7). */
export async function withdrawDossier(
  deps: DossierDeps,
  p: Principal,
  id: string,
  input: { reason?: string; expectedVersion?: number },
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
  deps: Pick<DossierDeps, 'dossiers' | 'clock' | 'calendars'>,
  p: Principal,
  filter: DossierFilter & { overdue?: boolean; dueSoon?: boolean },
): Promise<Page<Dossier>> {
  const { overdue, dueSoon, ...rest } = filter;
  let f: DossierFilter = rest;
  const earliest = (a: string | undefined, b: string) => (a && a < b ? a : b);
  const now = deps.clock.now();
  if (overdue) f = { ...f, dueBefore: earliest(f.dueBefore, now.toISOString()) };
  if (dueSoon && p.ward) {
    const horizon = addWorkingHours(await deps.calendars.get(p.ward), now, DUE_SOON_HOURS).toISOString();
    f = { ...f, dueBefore: earliest(f.dueBefore, horizon), dueAfter: now.toISOString() };
  }
  if (dueSoon && p.role === 'citizen') throw new ForbiddenError('Bộ lọc theo hạn chỉ dành cho cán bộ.', 'STAFF_FILTER');
  if (p.role === 'citizen') {
    if (f.dueBefore) throw new ForbiddenError('Bộ lọc theo hạn chỉ dành cho cán bộ.', 'STAFF_FILTER');
    return deps.dossiers.listByOwner(p.sub, f);
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

export function isOverdue(d: Dossier, now: Date): boolean {
  if (!d.dueAt || isPaused(d.status)) return false;
  const end = d.endedAt ? Date.parse(d.endedAt) : now.getTime();
  return end > Date.parse(d.dueAt);
}
