/**
 * The dossier (hồ sơ) and its legal lifecycle: the status codes synchronized with the National
 * Public Service Portal, the allowed transitions, and who may make each one.
 */
import type { Role } from './auth.ts';
import { ConflictError, ForbiddenError, UnprocessableError } from './errors.ts';
import { UUID } from './ids.ts';

/** Status codes of the national portal (trạng thái hồ sơ). */
export const STATUS = {
  NEW: 1, // Mới tiếp nhận trực tuyến (new, submitted online)
  ACCEPTED: 2, // Đã tiếp nhận (accepted)
  REFUSED: 3, // Từ chối tiếp nhận (refused at intake)
  PROCESSING: 4, // Đang xử lý (processing)
  SUPPLEMENT: 5, // Yêu cầu bổ sung (supplement requested)
  PAYMENT_DUE: 6, // Chờ thực hiện nghĩa vụ tài chính (financial obligation due)
  WITHDRAW_REQUESTED: 7, // Công dân xin rút hồ sơ (citizen asked to withdraw)
  STOPPED: 8, // Dừng xử lý (processing stopped)
  DONE: 9, // Đã có kết quả (processing done)
  RETURNED: 10, // Đã trả kết quả (result returned)
} as const;

export type Status = (typeof STATUS)[keyof typeof STATUS];
export const STATUS_CODES: readonly Status[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Vietnamese names shown to citizens. */
export const STATUS_NAME_VI: Record<Status, string> = {
  1: 'Mới tiếp nhận trực tuyến',
  2: 'Đã tiếp nhận',
  3: 'Từ chối tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung hồ sơ',
  6: 'Chờ thực hiện nghĩa vụ tài chính',
  7: 'Công dân xin rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã có kết quả',
  10: 'Đã trả kết quả',
};

/** Who moves a dossier: a staff role, the owner (withdraw route) or the system (payment confirmation). */
export type Actor = Role | 'owner' | 'system';

/** Allowed transitions and the actors allowed to make each (DESIGN.md §5). */
export const TRANSITIONS: Readonly<Record<Status, Partial<Record<Status, readonly Actor[]>>>> = {
  1: { 2: ['receiver'], 3: ['receiver'], 5: ['receiver'], 7: ['owner'] },
  2: { 4: ['receiver'], 7: ['owner'] },
  3: {},
  4: { 5: ['specialist'], 6: ['specialist'], 7: ['owner'], 8: ['specialist'], 9: ['leader'] },
  5: { 4: ['receiver'], 7: ['owner'] },
  6: { 4: ['system', 'receiver'], 9: ['leader'] },
  7: { 8: ['receiver'] },
  8: {},
  9: { 10: ['receiver'] },
  10: {},
};

/** Statuses nothing leaves. */
export const isFinal = (s: Status): boolean => Object.keys(TRANSITIONS[s]).length === 0;

/**
 * The dossier's clock stops here for good (DESIGN.md §5b): refused (3), the citizen's withdrawal
 * request (7), stopped (8), done (9), returned (10). The end is the first of them.
 */
export const isEnded = (s: Status): boolean => s === 3 || s === 7 || s === 8 || s === 9 || s === 10;

/**
 * Checks that `actor` may move a dossier from `from` to `to`; throws the typed error otherwise.
 * An illegal move is a 409 (the state does not allow it); a legal move by the wrong role is 403.
 */
export function assertTransition(from: Status, to: Status, actor: Actor, current?: unknown): void {
  const allowed = TRANSITIONS[from][to];
  if (!allowed) {
    throw new ConflictError(
      'ILLEGAL_TRANSITION',
      `Không thể chuyển hồ sơ từ trạng thái "${STATUS_NAME_VI[from]}" sang "${STATUS_NAME_VI[to]}".`,
      current,
    );
  }
  if (!allowed.includes(actor)) {
    throw new ForbiddenError(
      `Vai trò của bạn không được chuyển hồ sơ sang trạng thái "${STATUS_NAME_VI[to]}".`,
      'ROLE_NOT_ALLOWED_FOR_TRANSITION',
    );
  }
}

/** Statuses the owner may withdraw from (1|2|4|5 -> 7). */
export const WITHDRAWABLE: readonly Status[] = [1, 2, 4, 5];

export type Channel = 'online' | 'counter';

/** Dossier ids are UUIDs; anything else cannot name a dossier (and never reaches the table). */
export const isDossierId = (id: string): boolean => UUID.test(id);

export interface Applicant {
  readonly fullName: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly email?: string | undefined;
  readonly address?: string | undefined;
}

export interface Component {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  /** Set when a scan has landed and passed the checker (số hóa). */
  readonly digitized?: { readonly key: string; readonly size: number; readonly sha256: string; readonly at: string };
}

/** A pause of the processing clock (supplement or fee). */
export interface Pause {
  readonly status: Status;
  readonly from: string;
  readonly to?: string;
  /** Working hours that were left on the clock when it paused. */
  readonly remainingHours: number;
}

export interface Payment {
  readonly amount: number;
  readonly gateway: 'vnpay' | 'momo' | 'cash';
  readonly paidAt: string;
  readonly online: boolean;
}

export interface Dossier {
  readonly id: string;
  readonly code: string;
  readonly ward: string;
  readonly procedureId: string;
  readonly procedureName: string;
  readonly channel: Channel;
  readonly status: Status;
  readonly version: number;
  /** The citizen who submitted online; counter dossiers have none (the applicant may have no account). */
  readonly ownerSub?: string;
  readonly createdBy: string;
  readonly applicant: Applicant;
  /** The community digital team member who submitted it on the citizen's behalf (tổ công nghệ số cộng đồng). */
  readonly assistedBy?: { readonly sub: string; readonly residentialGroup: string };
  /** The applicant's residential group (tổ dân phố), when known: the report by group counts it. */
  readonly residentialGroup?: string;
  readonly components: readonly Component[];
  readonly durationHours: number;
  /** Set when the procedure's deadline is in calendar days (ngày) rather than working days. */
  readonly durationCalendarDays?: number;
  /** The fee in đồng: the catalog's, or computed from its rule and `feeInputs`. */
  readonly fee: number;
  /** The inputs of the procedure's fee rule (pages of a copy, copies). */
  readonly feeInputs?: { readonly pages?: number | undefined; readonly copies: number };
  /** Fee asked for at the move to 6 (nghĩa vụ tài chính). */
  readonly feeDue?: number;
  /** When the dossier last entered 6 (the fee round a payment belongs to). */
  readonly feeDueSince?: string;
  readonly submittedAt: string;
  /** Valid acceptance: the clock starts here. */
  readonly acceptedAt?: string;
  /** The appointment printed on the receipt (ngày hẹn trả). */
  readonly appointmentAt?: string | undefined;
  /** The current deadline: the appointment pushed by pauses; for status 1 the intake deadline. */
  readonly dueAt?: string;
  readonly pauses: readonly Pause[];
  readonly supplementCount: number;
  /**
   * The moment the dossier became late, once and for all (lateness sticks): its deadline passed
   * while its clock ran, or a second supplement was asked. Absent while it is on time.
   */
  readonly lateSince?: string;
  /**
   * Copied from the procedure at submission: the time a fee is due (status 6) does not count
   * (thời gian thực hiện nghĩa vụ tài chính không tính vào thời hạn giải quyết). Default false.
   */
  readonly excludesFinancialObligationTime?: boolean;
  readonly endedAt?: string;
  readonly payment?: Payment;
  /**
   * The apology and extension (form 04), sent once, before the deadline: the reason and the new
   * date shown to the citizen. The dossier is still judged against `dueAt`.
   */
  readonly extension?: {
    readonly reason: string;
    readonly newAppointmentAt: string;
    readonly at: string;
    readonly by: string;
    readonly byName?: string;
  };
  /** Components the citizen must still bring (counter intake "incomplete", form 02). */
  readonly missingComponents?: readonly { readonly id: string; readonly name: string }[];
  /** The appointment falls in a calendar year not yet announced (derived): provisional. */
  readonly appointmentProvisional?: boolean;
  /** When a leader signed the electronic result (kết quả điện tử): what 3.3 and 4.2 need. */
  readonly resultSignedAt?: string;
  readonly rating?: { readonly score: number; readonly complaint?: string; readonly at: string };
  readonly overdueNotifiedAt?: string;
  readonly dueSoonNotifiedAt?: string;
  readonly updatedAt: string;
}

/** One entry of the process-control slip (phiếu kiểm soát, form 06). Immutable. */
export interface HistoryEntry {
  readonly dossierId: string;
  readonly version: number;
  readonly at: string;
  readonly from?: Status;
  readonly to: Status;
  readonly by: string;
  readonly role: Actor;
  /** The official's name and title (họ tên, chức danh) from the token's `name`/`title` claims. */
  readonly byName?: string;
  readonly byTitle?: string;
  readonly reason?: string;
}

/** Whether an ended dossier finished on time (Decision 766 indicator 2.1). */
export function finishedOnTime(
  d: Pick<Dossier, 'endedAt' | 'dueAt' | 'supplementCount' | 'lateSince'>,
): boolean | undefined {
  if (!d.endedAt) return undefined;
  if (d.lateSince || d.supplementCount > 1) return false;
  if (!d.dueAt) return true;
  return Date.parse(d.endedAt) <= Date.parse(d.dueAt);
}

/** The clock is paused: a pause (first supplement, or an excluded fee time) is open. */
/** Working hours ahead that make a dossier "due soon" in lists and warnings. */
export const DUE_SOON_HOURS = 4;

export const isClockPaused = (d: Pick<Dossier, 'pauses'>): boolean => {
  const last = d.pauses.at(-1);
  return last !== undefined && last.to === undefined;
};

/**
 * The clock runs: the dossier has a deadline, has not ended, and no pause is open. For status 1
 * the deadline is the online intake deadline; once accepted, the appointment pushed by pauses.
 */
export const isClockRunning = (d: Pick<Dossier, 'dueAt' | 'endedAt' | 'pauses' | 'status'>): boolean =>
  d.dueAt !== undefined && d.endedAt === undefined && !isEnded(d.status) && !isClockPaused(d);

/**
 * The moment an accepted dossier became (or becomes) late, as far as its record tells: the
 * sticky `lateSince`, else its deadline while the clock runs. Undefined when it is not late and
 * cannot become late without a change (paused, ended on time, never accepted).
 */
export function lateMoment(
  d: Pick<Dossier, 'acceptedAt' | 'dueAt' | 'endedAt' | 'pauses' | 'status' | 'lateSince' | 'supplementCount'>,
): string | undefined {
  if (!d.acceptedAt) return undefined;
  if (d.lateSince) return d.lateSince;
  if (d.endedAt) return d.dueAt && d.endedAt > d.dueAt ? d.dueAt : undefined;
  return isClockRunning(d) ? d.dueAt : undefined;
}

/** Whether an accepted dossier is late at `at` (ended late, or open past its deadline while running). */
export function isLateAt(
  d: Pick<Dossier, 'acceptedAt' | 'dueAt' | 'endedAt' | 'pauses' | 'status' | 'lateSince' | 'supplementCount'>,
  at: Date,
): boolean {
  const m = lateMoment(d);
  return m !== undefined && Date.parse(m) < at.getTime();
}

/** Rejects a fee where the procedure and the move do not carry one. */
export function feeForPaymentDue(catalogFee: number, requested: number | undefined): number {
  const fee = requested ?? catalogFee;
  if (!Number.isInteger(fee) || fee <= 0) {
    throw new UnprocessableError('FEE_REQUIRED', 'Chuyển sang chờ nghĩa vụ tài chính cần một khoản phí lớn hơn 0.');
  }
  return fee;
}
