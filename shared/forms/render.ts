/**
 * The printed forms of Circular 03/2025/TT-VPCP, Appendix I (forms 01-06), rendered as A4 PDFs with
 * pdf-lib. The text is set in Be Vietnam Pro, embedded as a subset, so Vietnamese diacritics are
 * real, searchable text. The wording follows the structure of the Appendix I forms (the older
 * Circular 01/2018 forms carried over); the primary text was not available when this was written.
 *
 * Output is deterministic: the same input gives the same bytes (the PDF dates come from `issuedAt`).
 */
import fontkit from '@pdf-lib/fontkit';
import { type Color, PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib';
import { STATUS_NAME_VI } from '../dossier.ts';
import type { FontBytes } from './fonts.ts';
import { qrPngBytes } from './qr.ts';

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

const ROLE_NAMES_VI: Readonly<Record<string, string>> = {
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
const OUTCOME_VI: Readonly<Record<StepOutcome, string>> = { early: 'Trước hạn', onTime: 'Đúng hạn', late: 'Quá hạn' };

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

// ---------------------------------------------------------------------------------------------
// Dates (Vietnam has used UTC+7 without daylight saving since 1975, so a fixed offset is exact)

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

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
  const d = new Date(ms + VN_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

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
function formatCompact(iso: string): string {
  const p = vnParts(iso);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

// ---------------------------------------------------------------------------------------------
// Layout

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MM = 72 / 25.4;
/** Margins of administrative documents (Decree 30/2020): left 30 mm, right/top/bottom 20 mm. */
const MARGIN = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 20 * MM } as const;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const BODY_SIZE = 11;
const LEADING = 1.45;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const HEADER_FILL = rgb(0.9, 0.9, 0.9);
const BLANK = '……………………';

type Align = 'left' | 'center' | 'right';

/** A stretch of text in one weight. */
interface Run {
  text: string;
  bold?: boolean;
}

type Runs = string | readonly Run[];

interface Piece {
  text: string;
  font: PDFFont;
  width: number;
  kind: 'word' | 'space' | 'break';
}

interface Line {
  pieces: Piece[];
  width: number;
}

interface TextOptions {
  size?: number;
  bold?: boolean;
  align?: Align;
  /** Left edge; defaults to the left margin. */
  x?: number;
  /** Width of the text box; defaults to the rest of the content width from `x`. */
  width?: number;
  /** Indent of every line after the first (a hanging indent). */
  hanging?: number;
  /** Space after the paragraph, in points. */
  after?: number;
  color?: Color;
}

/** Characters after which an over-long word (a URL, a code) may break. */
const SOFT_BREAK_AFTER = '/-.?&=_,;';

/** Control and format characters (zero-width, BOM, soft hyphen, …), except the line feed. */
const CONTROL_CHARS = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/gu;

class Composer {
  page: PDFPage;
  /** Top of the next line. */
  y: number;
  /** Called after an automatic page break (a table repeats its header). */
  onPageBreak: (() => void) | undefined;
  private readonly supported: Set<number>;

  constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.supported = new Set(regular.getCharacterSet());
    this.page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = PAGE_HEIGHT - MARGIN.top;
  }

  addPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = PAGE_HEIGHT - MARGIN.top;
    this.onPageBreak?.();
  }

  /** Starts a new page when less than `height` points are left. */
  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom) this.addPage();
  }

  gap(height: number): void {
    this.y -= height;
  }

  /** NFC, no control characters, and `?` for what the font cannot draw (instead of a blank box). */
  clean(text: string): string {
    let out = '';
    for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL_CHARS, '')) {
      const cp = ch.codePointAt(0) ?? 0;
      out += ch === '\n' || ch === ' ' || this.supported.has(cp) ? ch : '?';
    }
    return out;
  }

  private pieces(runs: Runs, size: number, boldDefault: boolean): Piece[] {
    const list: readonly Run[] = typeof runs === 'string' ? [{ text: runs, bold: boldDefault }] : runs;
    const out: Piece[] = [];
    for (const run of list) {
      const font = (run.bold ?? boldDefault) ? this.bold : this.regular;
      for (const token of this.clean(run.text).split(/(\n| +)/)) {
        if (token === '') continue;
        if (token === '\n') out.push({ text: '', font, width: 0, kind: 'break' });
        else if (token.startsWith(' '))
          out.push({ text: ' ', font, width: font.widthOfTextAtSize(' ', size), kind: 'space' });
        else out.push({ text: token, font, width: font.widthOfTextAtSize(token, size), kind: 'word' });
      }
    }
    return out;
  }

  /** Breaks text into lines no wider than `width` (`restWidth` after the first); long words are split. */
  wrap(runs: Runs, size: number, width: number, restWidth = width, bold = false): Line[] {
    const lines: Line[] = [];
    let current: Line = { pieces: [], width: 0 };
    const limit = (): number => (lines.length === 0 ? width : restWidth);
    const finish = (): void => {
      while (current.pieces.at(-1)?.kind === 'space') {
        current.width -= current.pieces.pop()?.width ?? 0;
      }
      lines.push(current);
      current = { pieces: [], width: 0 };
    };
    for (const piece of this.pieces(runs, size, bold)) {
      if (piece.kind === 'break') {
        finish();
        continue;
      }
      if (piece.kind === 'space') {
        if (current.pieces.length > 0) {
          current.pieces.push(piece);
          current.width += piece.width;
        }
        continue;
      }
      if (current.width + piece.width <= limit()) {
        current.pieces.push(piece);
        current.width += piece.width;
        continue;
      }
      if (current.pieces.some((p) => p.kind === 'word')) finish();
      else current = { pieces: [], width: 0 };
      // The word alone may still be too long (a URL, a long code): split it by characters.
      let rest = piece.text;
      while (piece.font.widthOfTextAtSize(rest, size) > limit()) {
        let cut = 1;
        let soft = 0;
        for (let i = 1; i <= rest.length; i++) {
          if (piece.font.widthOfTextAtSize(rest.slice(0, i), size) > limit()) break;
          cut = i;
          if (SOFT_BREAK_AFTER.includes(rest.charAt(i - 1))) soft = i;
        }
        // Prefer to break a URL or a code after a separator, when that keeps most of the line.
        if (soft > cut / 2) cut = soft;
        const head = rest.slice(0, cut);
        current.pieces.push({ ...piece, text: head, width: piece.font.widthOfTextAtSize(head, size) });
        current.width += current.pieces.at(-1)?.width ?? 0;
        finish();
        rest = rest.slice(cut);
      }
      const tail = piece.font.widthOfTextAtSize(rest, size);
      current.pieces.push({ ...piece, text: rest, width: tail });
      current.width += tail;
    }
    if (current.pieces.length > 0 || lines.length === 0) finish();
    return lines;
  }

  /** Draws one line with its top at `top`. */
  drawLine(line: Line, x: number, top: number, size: number, align: Align, width: number, color: Color): void {
    let cursor = align === 'left' ? x : align === 'center' ? x + (width - line.width) / 2 : x + width - line.width;
    const baseline = top - size * 1.1;
    let i = 0;
    while (i < line.pieces.length) {
      const first = line.pieces[i];
      if (first === undefined) break;
      let text = '';
      let runWidth = 0;
      while (i < line.pieces.length && line.pieces[i]?.font === first.font) {
        const p = line.pieces[i];
        if (p === undefined) break;
        text += p.text;
        runWidth += p.width;
        i++;
      }
      if (text.trim() !== '') this.page.drawText(text, { x: cursor, y: baseline, size, font: first.font, color });
      cursor += runWidth;
    }
  }

  /** A wrapped paragraph at the cursor, breaking pages between lines. */
  text(runs: Runs, options: TextOptions = {}): void {
    const size = options.size ?? BODY_SIZE;
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? MARGIN.left + CONTENT_WIDTH - x;
    const hanging = options.hanging ?? 0;
    const lineHeight = size * LEADING;
    const lines = this.wrap(runs, size, width, width - hanging, options.bold ?? false);
    lines.forEach((line, index) => {
      this.ensure(lineHeight);
      const indent = index === 0 ? 0 : hanging;
      this.drawLine(line, x + indent, this.y, size, options.align ?? 'left', width - indent, options.color ?? BLACK);
      this.y -= lineHeight;
    });
    this.y -= options.after ?? 0;
  }

  /** The height `text` would take, without drawing. */
  measure(runs: Runs, options: TextOptions = {}): number {
    const size = options.size ?? BODY_SIZE;
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? MARGIN.left + CONTENT_WIDTH - x;
    const hanging = options.hanging ?? 0;
    const lines = this.wrap(runs, size, width, width - hanging, options.bold ?? false);
    return lines.length * size * LEADING + (options.after ?? 0);
  }

  /** Columns side by side from the cursor; the cursor ends below the tallest. */
  columns(parts: readonly { x: number; width: number; draw: () => void }[]): void {
    const top = this.y;
    let bottom = top;
    for (const part of parts) {
      this.y = top;
      part.draw();
      bottom = Math.min(bottom, this.y);
    }
    this.y = bottom;
  }

  /** A horizontal rule of `width`, centred in the box [x, x + boxWidth], just below the cursor. */
  rule(x: number, boxWidth: number, width: number): void {
    const left = x + (boxWidth - width) / 2;
    const y = this.y - 2;
    this.page.drawLine({ start: { x: left, y }, end: { x: left + width, y }, thickness: 0.6, color: BLACK });
  }
}

// ---------------------------------------------------------------------------------------------
// Shared blocks

const UNIT_PREFIX = /^(phường|xã|đặc khu|thị trấn)\s+/iu;

/** Names derived from the ward's name `Phường Bỉm Sơn`. */
function wardNames(name: string): { parent: string; office: string; place: string } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const match = UNIT_PREFIX.exec(trimmed);
  const prefix = match?.[1];
  const place = match ? trimmed.slice(match[0].length) : trimmed;
  const inSentence = prefix === undefined ? trimmed : `${prefix.toLocaleLowerCase('vi')} ${place}`;
  return {
    parent: `UBND ${trimmed.toLocaleUpperCase('vi')}`,
    office: `Trung tâm Phục vụ hành chính công ${inSentence}`,
    place,
  };
}

const OFFICE_CAPS = 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG';
const MOTTO_1 = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO_2 = 'Độc lập - Tự do - Hạnh phúc';

/**
 * `text` in at most two lines of about equal width when it does not fit on one (as headers are set:
 * `TRUNG TÂM PHỤC VỤ` / `HÀNH CHÍNH CÔNG`); unchanged when it fits or two lines would not do.
 */
function balance(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  const words = text.split(' ');
  let best: { text: string; widest: number } | undefined;
  for (let i = 1; i < words.length; i++) {
    const first = words.slice(0, i).join(' ');
    const second = words.slice(i).join(' ');
    const widest = Math.max(font.widthOfTextAtSize(first, size), font.widthOfTextAtSize(second, size));
    if (widest <= width && (best === undefined || widest < best.widest)) best = { text: `${first}\n${second}`, widest };
  }
  return best?.text ?? text;
}

function header(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const leftWidth = CONTENT_WIDTH * 0.42;
  const rightX = MARGIN.left + leftWidth;
  const rightWidth = CONTENT_WIDTH - leftWidth;
  const size = 10.5;
  c.columns([
    {
      x: MARGIN.left,
      width: leftWidth,
      draw: () => {
        const box = { x: MARGIN.left, width: leftWidth, align: 'center' as const, size };
        c.text(balance(c.clean(names.parent), c.regular, size, leftWidth), box);
        c.text(balance(OFFICE_CAPS, c.bold, size, leftWidth), { ...box, bold: true });
        c.rule(MARGIN.left, leftWidth, leftWidth * 0.35);
        c.gap(6);
      },
    },
    {
      x: rightX,
      width: rightWidth,
      draw: () => {
        const box = { x: rightX, width: rightWidth, align: 'center' as const, size, bold: true };
        c.text(MOTTO_1, box);
        c.text(MOTTO_2, { ...box, size: size + 0.5 });
        c.rule(rightX, rightWidth, c.bold.widthOfTextAtSize(MOTTO_2, size + 0.5));
        c.gap(8);
        c.text(`${names.place}, ${formatDateVi(data.issuedAt)}`, {
          x: rightX,
          width: rightWidth,
          align: 'center',
          size,
        });
      },
    },
  ]);
  c.gap(16);
}

function title(c: Composer, form: FormId, data: FormData, withCode = true): void {
  c.text(FORM_TITLES[form], { bold: true, size: 13, align: 'center', after: 2 });
  if (withCode) c.text([{ text: 'Mã hồ sơ: ' }, { text: data.dossier.code, bold: true }], { align: 'center' });
  c.gap(12);
}

/** `Label: value` with the value in bold (or a dotted blank when absent). */
function field(c: Composer, label: string, value: string | undefined, options: TextOptions = {}): void {
  c.text([{ text: `${label}: ` }, { text: value === undefined || value.trim() === '' ? BLANK : value, bold: true }], {
    after: 2,
    ...options,
  });
}

const dateOrBlank = (iso: string | undefined): string | undefined =>
  iso === undefined || iso.trim() === '' ? undefined : formatDateTimeVi(iso);

function applicantFields(c: Composer, data: FormData, label = 'Ông/Bà'): void {
  const a = data.applicant;
  field(c, label, a.fullName);
  if (a.idNumber) field(c, 'Số định danh cá nhân', a.idNumber);
  if (a.address) field(c, 'Địa chỉ', a.address);
  if (a.phone) field(c, 'Số điện thoại', a.phone);
}

/** The reason as indented paragraphs (one per line of the input), or a dotted blank. */
function reasonBlock(c: Composer, reason: string | undefined): void {
  const paragraphs = (reason ?? '')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (paragraphs.length === 0) paragraphs.push(BLANK.repeat(3));
  for (const p of paragraphs) c.text(p, { x: MARGIN.left + 18, after: 3 });
  c.gap(4);
}

interface Signer {
  title: string;
  hint: string;
  name?: string;
}

/** Signature blocks: one on the right, or two side by side; kept on one page. */
function signatures(c: Composer, signers: readonly Signer[]): void {
  const colWidth = CONTENT_WIDTH / 2;
  const height = Math.max(
    ...signers.map(
      (s) =>
        c.measure(s.title, { width: colWidth, bold: true }) +
        c.measure(s.hint, { width: colWidth, size: 9.5 }) +
        60 +
        c.measure(s.name ?? ' ', { width: colWidth, bold: true }),
    ),
  );
  c.gap(14);
  c.ensure(height);
  const start = signers.length === 1 ? MARGIN.left + colWidth : MARGIN.left;
  c.columns(
    signers.map((s, i) => {
      const x = start + i * colWidth;
      return {
        x,
        width: colWidth,
        draw: () => {
          c.text(s.title, { x, width: colWidth, align: 'center', bold: true });
          c.text(s.hint, { x, width: colWidth, align: 'center', size: 9.5, color: GREY });
          c.gap(60);
          if (s.name) c.text(s.name, { x, width: colWidth, align: 'center', bold: true });
        },
      };
    }),
  );
}

const SIGN_HINT = '(Ký và ghi rõ họ tên)';
const SEAL_HINT = '(Ký, ghi rõ họ tên và đóng dấu)';

function footers(c: Composer, data: FormData): void {
  const pages = c.doc.getPages();
  if (pages.length < 2) return;
  const size = 8;
  pages.forEach((page, i) => {
    const label = c.clean(`Mã hồ sơ ${data.dossier.code} - Trang ${i + 1}/${pages.length}`);
    const width = c.regular.widthOfTextAtSize(label, size);
    page.drawText(label, {
      x: MARGIN.left + (CONTENT_WIDTH - width) / 2,
      y: MARGIN.bottom / 2,
      size,
      font: c.regular,
      color: GREY,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The forms

const count = (n: number): string => (n < 10 ? pad2(n) : String(n));
/** `(01 bản chính, 02 bản sao)`, or `(02 bản)` where only the copies are known. */
const copiesText = (copies: number | undefined, originals?: number): string => {
  if (originals === undefined) return copies === undefined ? '' : ` (${count(copies)} bản)`;
  const parts = [
    ...(originals > 0 ? [`${count(originals)} bản chính`] : []),
    ...((copies ?? 0) > 0 ? [`${count(copies ?? 0)} bản sao`] : []),
  ];
  return parts.length ? ` (${parts.join(', ')})` : '';
};

function form01(c: Composer, data: FormData, qr: PDFImage | undefined): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  c.text(`${names.office} tiếp nhận hồ sơ của:`, { after: 2 });
  applicantFields(c, data);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Hình thức nộp hồ sơ', d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp');
  c.gap(4);
  c.text('1. Thành phần hồ sơ nộp gồm:', { after: 2 });
  if (d.components.length === 0) c.text(BLANK.repeat(3), { x: MARGIN.left + 18, after: 2 });
  d.components.forEach((comp, i) => {
    c.text(`${i + 1}) ${comp.name}${copiesText(comp.copies, comp.originals)}`, {
      x: MARGIN.left + 18,
      hanging: 16,
      after: 1,
    });
  });
  c.gap(3);
  c.text('2. Số lượng hồ sơ: 01 bộ.', { after: 2 });
  field(c, '3. Thời gian nhận hồ sơ', dateOrBlank(d.receivedAt));
  field(
    c,
    '   Thời hạn giải quyết',
    d.durationDays === undefined ? undefined : `${String(d.durationDays).replace('.', ',')} ngày làm việc`,
  );
  field(c, '4. Thời gian trả kết quả giải quyết hồ sơ', dateOrBlank(d.appointmentAt));
  field(c, '   Nơi trả kết quả', d.resultPlace);
  field(c, '   Vào Sổ theo dõi hồ sơ', d.registerLine);
  const lookup: Run[] = [
    { text: '5. Tra cứu tình trạng giải quyết hồ sơ: quét mã QR hoặc truy cập ' },
    { text: data.lookupUrl, bold: true },
    { text: ` và nhập mã hồ sơ ${d.code}.` },
  ];
  if (qr === undefined) {
    c.text(lookup, { after: 2 });
  } else {
    const side = 92;
    const caption = 'Mã QR tra cứu hồ sơ';
    c.ensure(side + 16);
    const top = c.y;
    const textWidth = CONTENT_WIDTH - side - 16;
    c.text(lookup, { width: textWidth, after: 2 });
    const textBottom = c.y;
    const qrX = MARGIN.left + CONTENT_WIDTH - side;
    c.page.drawImage(qr, { x: qrX, y: top - side, width: side, height: side });
    c.y = top - side;
    c.text(caption, { x: qrX - 10, width: side + 20, align: 'center', size: 8, color: GREY });
    c.y = Math.min(c.y, textBottom);
  }
  const receiver: Signer = { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: SIGN_HINT, name: data.officer?.name };
  signatures(
    c,
    d.channel === 'counter'
      ? [{ title: 'NGƯỜI NỘP HỒ SƠ', hint: SIGN_HINT, name: data.applicant.fullName }, receiver]
      : [receiver],
  );
}

function form02(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  applicantFields(c, data, 'Hồ sơ của Ông/Bà');
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(c, 'Thời gian tiếp nhận', formatDateTimeVi(d.receivedAt));
  c.gap(4);
  c.text(`Sau khi xem xét, ${names.office} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  const where = data.ward.address ? ` tại ${names.office} (${data.ward.address})` : ` tại ${names.office}`;
  c.text(`Hồ sơ đã bổ sung, hoàn thiện được nộp lại theo mã hồ sơ ${d.code}${where} hoặc trực tuyến.`, { after: 3 });
  const contact = data.officer ? `${data.officer.name}, ${names.office}` : names.office;
  c.text(
    `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ${contact} để được hướng dẫn. Tình trạng hồ sơ được tra cứu tại ${data.lookupUrl}.`,
    { after: 3 },
  );
  c.text('Xin trân trọng cảm ơn./.');
  signatures(c, [{ title: 'NGƯỜI HƯỚNG DẪN', hint: SIGN_HINT, name: data.officer?.name }]);
}

function form03(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  c.text(`${names.office} tiếp nhận hồ sơ của:`, { after: 2 });
  applicantFields(c, data);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  if (d.receivedAt) field(c, 'Thời gian tiếp nhận', formatDateTimeVi(d.receivedAt));
  c.gap(4);
  c.text(`Qua xem xét, ${names.office} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  c.text('Xin thông báo để Ông/Bà biết và thực hiện./.');
  signatures(c, [{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: SIGN_HINT, name: data.officer?.name }]);
}

function salutation(c: Composer, data: FormData): void {
  c.text([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${data.applicant.fullName}`, bold: true }], {
    align: 'center',
    after: 10,
  });
}

function form04(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  salutation(c, data);
  const received = `Vào ${d.receivedAt ? formatDateTimeVi(d.receivedAt) : `ngày ${BLANK}`}`;
  c.text(`${received}, ${names.office} tiếp nhận hồ sơ của Ông/Bà.`, { after: 2 });
  field(c, 'Mã hồ sơ', d.code);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Thời gian hẹn trả kết quả', dateOrBlank(d.appointmentAt));
  c.gap(4);
  c.text(`Tuy nhiên đến nay, ${names.office} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn. Lý do:`, {
    after: 3,
  });
  reasonBlock(c, data.reason);
  c.text(
    `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${names.office} thành thật xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến:`,
    { after: 2 },
  );
  c.text(dateOrBlank(data.newAppointmentAt) ?? BLANK.repeat(2), { bold: true, align: 'center', after: 3 });
  c.text('Mong nhận được sự thông cảm của Ông/Bà./.');
  signatures(c, [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: SEAL_HINT, name: data.officer?.name }]);
}

function form05(c: Composer, data: FormData): void {
  const names = wardNames(data.ward.name);
  const d = data.dossier;
  salutation(c, data);
  c.text(`${names.office} thông báo dừng giải quyết hồ sơ sau đây của Ông/Bà:`, { after: 2 });
  field(c, 'Mã hồ sơ', d.code);
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Thời gian tiếp nhận', dateOrBlank(d.receivedAt));
  c.gap(4);
  c.text('Lý do dừng giải quyết hồ sơ:', { after: 3 });
  reasonBlock(c, data.reason);
  c.text('Xin thông báo để Ông/Bà được biết./.');
  signatures(c, [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: SEAL_HINT, name: data.officer?.name }]);
}

const statusName = (code: number | undefined): string =>
  code === undefined ? '' : (STATUS_NAMES_VI[code] ?? `Trạng thái ${code}`);

const roleName = (role: string): string => ROLE_NAMES_VI[role] ?? role;

interface Column {
  title: string;
  width: number;
  align?: Align;
}

const HISTORY_COLUMNS: readonly Column[] = [
  { title: 'STT', width: 26, align: 'center' },
  { title: 'Thời gian', width: 62, align: 'center' },
  { title: 'Trạng thái trước', width: 76 },
  { title: 'Trạng thái sau', width: 76 },
  { title: 'Người thực hiện', width: 96 },
  { title: 'Kết quả', width: 50, align: 'center' },
  { title: 'Ghi chú', width: CONTENT_WIDTH - 26 - 62 - 76 - 76 - 96 - 50 },
];

const CELL_SIZE = 8.5;
const CELL_PAD = 3;

function tableRow(
  c: Composer,
  cells: readonly string[],
  options: { bold?: boolean; fill?: Color; align?: Align } = {},
): void {
  const lineHeight = CELL_SIZE * LEADING;
  const usable = PAGE_HEIGHT - MARGIN.top - MARGIN.bottom - 3 * lineHeight - 4 * CELL_PAD;
  const maxLines = Math.max(1, Math.floor(usable / lineHeight));
  const wrapped = HISTORY_COLUMNS.map((col, i) => {
    const lines = c.wrap(cells[i] ?? '', CELL_SIZE, col.width - 2 * CELL_PAD, col.width - 2 * CELL_PAD, options.bold);
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = c.wrap('…', CELL_SIZE, col.width)[0] ?? { pieces: [], width: 0 };
    return kept;
  });
  const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight + 2 * CELL_PAD;
  c.ensure(height);
  let x = MARGIN.left;
  HISTORY_COLUMNS.forEach((col, i) => {
    c.page.drawRectangle({
      x,
      y: c.y - height,
      width: col.width,
      height,
      borderColor: BLACK,
      borderWidth: 0.5,
      ...(options.fill ? { color: options.fill } : {}),
    });
    let top = c.y - CELL_PAD;
    for (const line of wrapped[i] ?? []) {
      c.drawLine(
        line,
        x + CELL_PAD,
        top,
        CELL_SIZE,
        options.align ?? col.align ?? 'left',
        col.width - 2 * CELL_PAD,
        BLACK,
      );
      top -= lineHeight;
    }
    x += col.width;
  });
  c.y -= height;
}

function form06(c: Composer, data: FormData): void {
  const d = data.dossier;
  applicantFields(c, data, 'Kèm theo hồ sơ của Ông/Bà');
  field(c, 'Nội dung yêu cầu giải quyết', d.procedureName);
  field(c, 'Hình thức nộp hồ sơ', d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp');
  field(c, 'Thời gian tiếp nhận', dateOrBlank(d.receivedAt));
  field(c, 'Thời gian hẹn trả kết quả', dateOrBlank(d.appointmentAt));
  field(c, 'Trạng thái hiện tại', statusName(d.status));
  c.gap(8);
  const history = data.history ?? [];
  if (history.length === 0) {
    c.text('Chưa có lần chuyển trạng thái nào.', { color: GREY });
    return;
  }
  const head = (): void =>
    tableRow(
      c,
      HISTORY_COLUMNS.map((col) => col.title),
      {
        bold: true,
        fill: HEADER_FILL,
        align: 'center',
      },
    );
  // Keep the header with at least one row.
  c.ensure(CELL_SIZE * LEADING * 4 + 4 * CELL_PAD);
  head();
  c.onPageBreak = head;
  history.forEach((h, i) => {
    tableRow(c, [
      String(i + 1),
      formatCompact(h.at),
      statusName(h.from),
      statusName(h.to),
      `${h.by}\n(${h.title ?? roleName(h.role)})`,
      h.outcome ? OUTCOME_VI[h.outcome] : '',
      h.reason ?? '',
    ]);
  });
  c.onPageBreak = undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * Renders one form of Circular 03/2025/TT-VPCP, Appendix I, as an A4 portrait PDF.
 * Form 01 carries a QR code of `data.lookupUrl` (left out when the URL is blank); form 06 tabulates
 * `data.history` and runs over as many pages as needed (the table header repeats). `fonts`: the
 * TTF bytes of shared/forms/fonts.ts (read by functions/adapters/fonts.ts).
 * @throws RangeError for an unknown form or a date that does not parse.
 */
export async function renderForm(form: FormId, data: FormData, fonts: FontBytes): Promise<Uint8Array> {
  if (!isFormId(form)) throw new RangeError(`Unknown form: ${JSON.stringify(form)}`);
  const issued = new Date(Date.parse(data.issuedAt));
  if (Number.isNaN(issued.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(data.issuedAt)}`);

  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Fixed subset tags (six capitals + '+', as PDF 32000 §9.6.4 asks) keep the output deterministic.
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'MCVNRE+BeVietnamPro-Regular' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'MCVNBD+BeVietnamPro-Bold' });
  const qr =
    form === '01' && data.lookupUrl.trim() !== '' ? await doc.embedPng(await qrPngBytes(data.lookupUrl)) : undefined;

  const c = new Composer(doc, regular, bold);
  header(c, data);
  title(c, form, data, form !== '04' && form !== '05');
  switch (form) {
    case '01':
      form01(c, data, qr);
      break;
    case '02':
      form02(c, data);
      break;
    case '03':
      form03(c, data);
      break;
    case '04':
      form04(c, data);
      break;
    case '05':
      form05(c, data);
      break;
    case '06':
      form06(c, data);
      break;
  }
  footers(c, data);

  doc.setTitle(`${FORM_TITLES[form]} - ${data.dossier.code}`, { showInWindowTitleBar: true });
  doc.setSubject(`Mẫu số ${form}, Phụ lục I, Thông tư 03/2025/TT-VPCP`);
  doc.setAuthor(wardNames(data.ward.name).office);
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setProducer('motcua (pdf-lib)');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  return doc.save();
}

// ---------------------------------------------------------------------------------------------
// Form 07: the register of a period (Sổ theo dõi hồ sơ)

/** What form 07 prints: the ward, the period and one line per dossier received in it. */
export interface RegisterData {
  ward: FormData['ward'];
  /** `YYYY-MM-DD`, both ends included. */
  from: string;
  to: string;
  rows: readonly {
    no: number;
    code: string;
    procedureName: string;
    applicant: string;
    channel: string;
    receivedAt: string;
    appointmentAt: string;
    newAppointmentAt: string;
    endedAt: string;
    status: string;
    outcome: string;
  }[];
  issuedAt: string;
}

/** Renders form 07 (Sổ theo dõi hồ sơ) of a period as an A4 PDF, one entry per dossier. */
export async function renderRegister(data: RegisterData, fonts: FontBytes): Promise<Uint8Array> {
  const issued = new Date(Date.parse(data.issuedAt));
  if (Number.isNaN(issued.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(data.issuedAt)}`);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'MCVNRE+BeVietnamPro-Regular' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'MCVNBD+BeVietnamPro-Bold' });
  const c = new Composer(doc, regular, bold);
  const asForm: FormData = {
    ward: data.ward,
    dossier: { code: `${data.from} - ${data.to}`, procedureName: '', channel: 'counter', status: 1, components: [] },
    applicant: { fullName: '' },
    lookupUrl: '',
    issuedAt: data.issuedAt,
  };
  header(c, asForm);
  c.text('SỔ THEO DÕI HỒ SƠ', { bold: true, size: 13, align: 'center', after: 2 });
  const day = (s: string) => s.split('-').reverse().join('/');
  c.text(`Từ ngày ${day(data.from)} đến ngày ${day(data.to)}`, { align: 'center', after: 8 });
  if (data.rows.length === 0) c.text('Không có hồ sơ nào trong kỳ.', { color: GREY });
  for (const r of data.rows) {
    c.ensure(60);
    c.text(`${r.no}. ${r.code} - ${r.procedureName}`, { bold: true, after: 1 });
    c.text(`Người nộp: ${r.applicant}; hình thức: ${r.channel}; tiếp nhận: ${r.receivedAt}`, { size: 9.5, after: 1 });
    c.text(
      `Hẹn trả: ${r.appointmentAt || BLANK}${r.newAppointmentAt ? `; hẹn lại (gia hạn): ${r.newAppointmentAt}` : ''}; ` +
        `kết thúc: ${r.endedAt || BLANK}; trạng thái: ${r.status}${r.outcome ? `; ${r.outcome}` : ''}`,
      { size: 9.5, after: 4 },
    );
  }
  footers(c, asForm);
  doc.setTitle(`Sổ theo dõi hồ sơ ${data.from} - ${data.to}`, { showInWindowTitleBar: true });
  doc.setSubject('Mẫu số 07, Phụ lục I, Thông tư 03/2025/TT-VPCP');
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  return doc.save();
}
