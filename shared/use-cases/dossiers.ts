/**
 * Dossier use cases: submit, move through the lifecycle, withdraw, read. Pure orchestration over
 * the ports; every write is conditional and carries its events (transactional outbox).
 */
import * as z from 'zod';
import { text } from '../api/zod.ts';
import { isStaff, type Principal } from '../auth.ts';
import { addWorkingHours } from '../calendar.ts';
import { assertComputable, isProvisional } from '../calendar-provenance.ts';
import { durationHours as procedureHours } from '../catalog.ts';
import {
  type Channel,
  type Dossier,
  DUE_SOON_HOURS,
  type HistoryEntry,
  isClockRunning,
  isDossierId,
  isLateAt,
  STATUS,
  type Status,
  WITHDRAWABLE,
} from '../dossier.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors.ts';
import { newEvent } from '../events.ts';
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
import { receiptDraft } from '../receipts/receipts.ts';
import {
  appointmentFrom,
  assertMove,
  type Move,
  planTransition,
  publicState,
  type TransitionContext,
  type TransitionPlan,
} from '../transition.ts';
import { vnDate } from '../vn-time.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** Online dossiers must be accepted within this many working hours (configurable per DESIGN.md §5). */
const INTAKE_HOURS = 8;

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
  .meta({ example: '0912345678' });

const applicantSchema = z
  .object({
    fullName: text(120),
    /** Citizen identity number (số định danh cá nhân / CCCD): 9 or 12 digits. */
    idNumber: z.string().regex(ID_NUMBER, 'số định danh 9 hoặc 12 chữ số'),
    phone,
    email: z.email().max(254).optional(),
    address: text(300).optional(),
  })
  .strict()
  .meta({ id: 'Applicant' });

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
  .meta({ id: 'SubmitDossier' });
export type SubmitInput = z.infer<typeof submitSchema>;

export const transitionSchema = z
  .object({
    to: z.number().int().min(1).max(10),
    expectedVersion: z.number().int().min(1),
    reason: text(1000).optional(),
    fee: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict()
  .meta({ id: 'Transition' });
type TransitionInput = z.infer<typeof transitionSchema>;

export const withdrawSchema = z
  .object({ reason: text(1000).optional(), expectedVersion: z.number().int().min(1).optional() })
  .strict()
  .meta({ id: 'Withdraw' });

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

/** {@link visibleDossier} with its history, read together (the history route, the forms). */
export async function visibleDossierWithHistory(
  deps: Pick<DossierDeps, 'dossiers'>,
  p: Principal,
  id: string,
): Promise<{ dossier: Dossier; history: readonly HistoryEntry[] }> {
  const found = isDossierId(id) ? await deps.dossiers.getWithHistory(id) : undefined;
  if (!found || !canSee(p, found.dossier)) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
  return found;
}

/**
 * Who sees a dossier: a citizen who submitted it, or whose VNeID identity number is the
 * applicant's (whoever submitted it); the helper who submitted it (in their ward); its ward's staff.
 */
function canSee(p: Principal, d: Dossier): boolean {
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
 * Reads what a move depends on (the ward's calendar; for a move to 6, the procedure) and plans it.
 * The move's own checks come first, so that a refused move reads nothing.
 */
export async function planMove(
  deps: Pick<DossierDeps, 'calendars' | 'catalog' | 'clock'>,
  d: Dossier,
  move: Move,
  context: Pick<TransitionContext, 'actor' | 'by' | 'correlationId'>,
): Promise<TransitionPlan> {
  assertMove(d, move, context.actor);
  const now = deps.clock.now();
  const calendar = await deps.calendars.get(d.ward);
  const procedure = move.to === STATUS.PAYMENT_DUE ? await deps.catalog.get(d.procedureId) : undefined;
  return planTransition(d, move, { ...context, now, calendar, procedure });
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
    const plan = await planMove(deps, d, { ...move, payment }, { actor: p.role, by: p, correlationId });
    const paymentConfirmed = newEvent('PaymentConfirmed', new Date(paidAt), subject, {
      orderId: `CASH-${d.code}-${d.version}`,
      gateway: 'cash',
      amount: payment.amount,
      online: false,
    });
    await deps.dossiers.commit(
      { ...plan, events: [...plan.events, paymentConfirmed] },
      { draft: receipt, ...(correlationId ? { correlationId } : {}) },
    );
    return plan.next;
  }
  const plan = await planMove(deps, d, move, { actor: p.role, by: p, correlationId });
  await deps.dossiers.commit(plan);
  return plan.next;
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
  const plan = await planMove(deps, d, input.reason ? { ...move, reason: input.reason } : move, {
    actor: 'owner',
    by: p.sub,
    correlationId,
  });
  await deps.dossiers.commit(plan);
  return plan.next;
}

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
