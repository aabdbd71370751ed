/**
 * What the forms print of a dossier, computed from the domain (pure): the official who made each
 * step (form 06, and the history route), each step's result against the deadline, form 01's
 * processing time, where the result is returned and the register line, and the register of a
 * period (form 07, Sổ theo dõi hồ sơ) as rows and as CSV.
 *
 * Officials are named from the token's `name` and `title` claims, recorded on each history entry
 * when the step was made. Without them (an identity provider that does not send them) the form
 * prints the role's title and the account id: there is no staff directory in this system.
 */
import type { Procedure } from '../catalog.ts';
import { csvLine } from '../csv.ts';
import { type Dossier, type HistoryEntry, lateMoment, STATUS_NAME_VI } from '../dossier.ts';
import { RESULT_COMPONENT_ID } from '../scans.ts';
import { vnClock, vnYear } from '../vn-time.ts';
import type { FormHistoryEntry, StepOutcome } from './render/model.ts';

const ROLE_TITLE_VI: Readonly<Record<string, string>> = {
  citizen: 'Công dân',
  owner: 'Người nộp hồ sơ',
  receiver: 'Cán bộ tiếp nhận',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo',
  admin: 'Quản trị hệ thống',
  system: 'Hệ thống',
};

/** The official as printed: name and title from the token, else the role's title and the account. */
function officialOf(h: Pick<HistoryEntry, 'by' | 'role' | 'byName' | 'byTitle'>): {
  name: string;
  title: string;
} {
  const title = h.byTitle ?? ROLE_TITLE_VI[h.role] ?? h.role;
  return { name: h.byName ?? h.by, title };
}

const DAY_MS = 24 * 3600_000;

/**
 * A processing step's result against the dossier's deadline (form 06): late once the dossier
 * was late at that moment (sticky), early when made a day or more before the deadline, else on
 * time. Steps before acceptance (intake) have no result.
 */
function stepOutcome(d: Dossier, at: string): StepOutcome | undefined {
  if (!d.acceptedAt || at < d.acceptedAt || !d.dueAt) return undefined;
  const late = lateMoment(d);
  if (late && Date.parse(at) > Date.parse(late)) return 'late';
  return Date.parse(d.dueAt) - Date.parse(at) >= DAY_MS ? 'early' : 'onTime';
}

/** Form 06's rows: one per hand-over, who did it (name, title) and its result. */
export function historyRows(d: Dossier, history: readonly HistoryEntry[]): FormHistoryEntry[] {
  return history.map((e) => {
    const who = officialOf(e);
    const outcome = e.from === undefined ? undefined : stepOutcome(d, e.at);
    return {
      at: e.at,
      to: e.to,
      by: who.name,
      role: e.role,
      title: who.title,
      ...(e.from ? { from: e.from } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(outcome ? { outcome } : {}),
    };
  });
}

/** The history as the API shows it: each entry with the official's printed name and title. */
export const historyView = (history: readonly HistoryEntry[]) =>
  history.map((e) => ({ ...e, official: officialOf(e) }));

/** Form 01's components: the procedure's originals and copies for each component brought. */
export function receiptComponents(d: Dossier, procedure: Procedure | undefined) {
  const docs = new Map((procedure?.documents ?? []).map((x) => [x.id, x]));
  return d.components
    .filter((c) => c.id !== RESULT_COMPONENT_ID)
    .map((c) => {
      const doc = docs.get(c.id);
      return { name: c.name, ...(doc ? { originals: doc.originals, copies: doc.copies } : {}) };
    });
}

/** Where the result is returned (nơi trả kết quả). */
export function resultPlace(d: Dossier, procedure: Procedure | undefined, wardAddress: string): string {
  const counter = `Bộ phận Một cửa, ${wardAddress}`;
  const electronic = procedure?.resultForm === 'electronic' || procedure?.resultForm === 'both';
  return d.channel === 'online' && electronic ? `Trực tuyến (kết quả điện tử) hoặc tại ${counter}` : counter;
}

/** The register line (form 07): the year's register and the dossier's number in it. */
export function registerLine(d: Dossier): string {
  const year = vnYear(d.submittedAt);
  return `Sổ theo dõi hồ sơ năm ${year}, số ${d.code}`;
}

// ---------------------------------------------------------------------------------------------
// Form 07: the register of a period

export interface RegisterRow {
  readonly no: number;
  readonly code: string;
  readonly procedureName: string;
  readonly applicant: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly appointmentAt: string;
  readonly newAppointmentAt: string;
  readonly endedAt: string;
  readonly status: string;
  readonly outcome: string;
}

const vnDate = (iso: string | undefined): string => {
  if (!iso) return '';
  const d = vnClock(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
};

/** One register row per dossier received in the period, oldest first, judged at `asOf`. */
export function registerRows(dossiers: readonly Dossier[], asOf: Date): RegisterRow[] {
  return [...dossiers]
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
    .map((d, i) => {
      const late = lateMoment(d);
      const judged = d.acceptedAt !== undefined;
      const isLate = late !== undefined && Date.parse(late) < asOf.getTime();
      const outcome = !judged ? '' : isLate ? 'Quá hạn' : d.endedAt ? 'Đúng hạn' : 'Trong hạn';
      return {
        no: i + 1,
        code: d.code,
        procedureName: d.procedureName,
        applicant: d.applicant.fullName,
        channel: d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp',
        receivedAt: vnDate(d.acceptedAt ?? d.submittedAt),
        appointmentAt: vnDate(d.appointmentAt),
        newAppointmentAt: vnDate(d.extension?.newAppointmentAt),
        endedAt: vnDate(d.endedAt),
        status: STATUS_NAME_VI[d.status],
        outcome,
      };
    });
}

const REGISTER_COLUMNS: readonly (readonly [keyof RegisterRow, string])[] = [
  ['no', 'STT'],
  ['code', 'Mã hồ sơ'],
  ['procedureName', 'Tên thủ tục'],
  ['applicant', 'Người nộp'],
  ['channel', 'Hình thức'],
  ['receivedAt', 'Ngày tiếp nhận'],
  ['appointmentAt', 'Ngày hẹn trả'],
  ['newAppointmentAt', 'Ngày hẹn lại (gia hạn)'],
  ['endedAt', 'Ngày kết thúc'],
  ['status', 'Trạng thái'],
  ['outcome', 'Kết quả'],
];

/** The register as CSV (UTF-8 with BOM so that spreadsheets read Vietnamese), every cell neutralised. */
export function registerCsv(rows: readonly RegisterRow[]): string {
  return `\uFEFF${csvLine(REGISTER_COLUMNS.map(([, t]) => t))}${rows.map((r) => csvLine(REGISTER_COLUMNS.map(([k]) => r[k]))).join('')}`;
}
