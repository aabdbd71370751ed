import { STATUS_NAME_VI } from '../../dossier.ts';
import { vnClock } from '../../vn-time.ts';

/** The form numbers of Appendix I that are rendered (07, the register, is a report, not a slip). */
export const FORM_IDS = ['01', '02', '03', '04', '05', '06'] as const;
/** A form number of Appendix I. */
export type FormId = (typeof FORM_IDS)[number];

/** Whether `value` is one of {@link FORM_IDS} (for route parameters such as `/forms/{form}.pdf`). */
export const isFormId = (value: unknown): value is FormId =>
  typeof value === 'string' && (FORM_IDS as readonly string[]).includes(value);

/** The title printed on each form. */
export const FORM_TITLES: Readonly<Record<FormId, string>> = Object.freeze({
  '01': 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  '02': 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  '03': 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  '04': 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
  '05': 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
  '06': 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
});

/**
 * Vietnamese names of the dossier status codes: THE table of shared/dossier.ts, re-exported so
 * that forms, messages and errors never disagree.
 */
export const STATUS_NAMES_VI: Readonly<Record<number, string>> = STATUS_NAME_VI;

export const ROLE_NAMES_VI: Readonly<Record<string, string>> = {
  citizen: 'Công dân',
  receiver: 'Cán bộ tiếp nhận',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo',
  admin: 'Quản trị hệ thống',
  kiosk: 'Ki-ốt tự phục vụ',
  system: 'Hệ thống',
  payment: 'Cổng thanh toán',
};

/** One status change of a dossier (a row of form 06). */
export interface FormHistoryEntry {
  /** When it happened (ISO 8601 with offset or `Z`). */
  at: string;
  /** The status before; absent for the first entry. */
  from?: number;
  /** The status after. */
  to: number;
  /** Who made the change (a display name). */
  by: string;
  /** Their role (`receiver`, `specialist`, … or free text). */
  role: string;
  /** Their title (chức danh), printed under the name when known. */
  title?: string;
  reason?: string;
  /** The step's result against the deadline (form 06): early, on time or late. */
  outcome?: StepOutcome;
}

/** A step's result on form 06 (trước hạn, đúng hạn, quá hạn). */
export type StepOutcome = 'early' | 'onTime' | 'late';
export const OUTCOME_VI: Readonly<Record<StepOutcome, string>> = {
  early: 'Trước hạn',
  onTime: 'Đúng hạn',
  late: 'Quá hạn',
};

/**
 * Everything a form may print. Times are ISO 8601 strings with an offset or `Z`; they are shown in
 * Vietnam time (UTC+7, no daylight saving). Absent optional values print as a dotted blank.
 */
export interface FormData {
  ward: {
    /** The ward as written in documents, with its unit type: `Phường Bỉm Sơn`, `Xã …`, `Đặc khu …`. */
    name: string;
    /** The unit code of the dossier codes (e.g. `G09.20`); not printed. */
    unitCode: string;
    /** The center's address (printed on forms 02 and 03 for where to return). */
    address?: string;
  };
  dossier: {
    code: string;
    procedureName: string;
    channel: 'online' | 'counter';
    receivedAt?: string;
    appointmentAt?: string;
    /** The current status code (see {@link STATUS_NAMES_VI}). */
    status: number;
    components: { name: string; copies?: number; originals?: number }[];
    /** The processing time in working days (thời hạn giải quyết), printed on form 01. */
    durationDays?: number;
    /** Where the result is returned (nơi trả kết quả), printed on form 01. */
    resultPlace?: string;
    /** The register line (số thứ tự trên Sổ theo dõi hồ sơ, form 07), e.g. `Quyển 2025, số 0019`. */
    registerLine?: string;
  };
  applicant: { fullName: string; phone?: string; address?: string; idNumber?: string };
  /** The official who signs (receiver for 01-03, the head or their delegate for 04-05). */
  officer?: { name: string };
  /** What to supplement (02), why refused (03), why late (04), why stopped (05). Newlines start paragraphs. */
  reason?: string;
  /** The new appointment proposed by form 04. */
  newAppointmentAt?: string;
  /** Status changes, oldest first (form 06). */
  history?: FormHistoryEntry[];
  /** The public lookup page of the dossier (QR code on form 01). */
  lookupUrl: string;
  /** When the form is issued: the date line, and the PDF's creation date. */
  issuedAt: string;
}

interface VnParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function vnParts(iso: string): VnParts {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid date: ${JSON.stringify(iso)}`);
  const d = vnClock(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * `ngày 05 tháng 02 năm 2026` in Vietnam time. As administrative documents write it, days below 10
 * and the months 1 and 2 take a leading zero; the other months do not (`tháng 8`).
 * @throws RangeError when `iso` is not a date.
 */
export function formatDateVi(iso: string): string {
  const p = vnParts(iso);
  return `ngày ${pad2(p.day)} tháng ${p.month <= 2 ? pad2(p.month) : String(p.month)} năm ${p.year}`;
}

/**
 * `08 giờ 30, ngày 15 tháng 8 năm 2025` in Vietnam time.
 * @throws RangeError when `iso` is not a date.
 */
export function formatDateTimeVi(iso: string): string {
  const p = vnParts(iso);
  return `${pad2(p.hour)} giờ ${pad2(p.minute)}, ${formatDateVi(iso)}`;
}

/** `08:30 15/08/2025` in Vietnam time, for table cells. */
export function formatCompact(iso: string): string {
  const p = vnParts(iso);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}
