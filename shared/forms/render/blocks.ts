import type { PDFFont } from 'pdf-lib';
import { BLANK, CONTENT_WIDTH, type Composer, GREY, MARGIN, type TextOptions } from './layout.ts';
import { FORM_TITLES, type FormData, type FormId, formatDateTimeVi, formatDateVi } from './model.ts';

const UNIT_PREFIX = /^(phường|xã|đặc khu|thị trấn)\s+/iu;

/** Names derived from the ward's name `Phường Bỉm Sơn`. */
export function wardNames(name: string): { parent: string; office: string; place: string } {
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

export function header(c: Composer, data: FormData): void {
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

export function title(c: Composer, form: FormId, data: FormData, withCode = true): void {
  c.text(FORM_TITLES[form], { bold: true, size: 13, align: 'center', after: 2 });
  if (withCode) c.text([{ text: 'Mã hồ sơ: ' }, { text: data.dossier.code, bold: true }], { align: 'center' });
  c.gap(12);
}

/** `Label: value` with the value in bold (or a dotted blank when absent). */
export function field(c: Composer, label: string, value: string | undefined, options: TextOptions = {}): void {
  c.text([{ text: `${label}: ` }, { text: value === undefined || value.trim() === '' ? BLANK : value, bold: true }], {
    after: 2,
    ...options,
  });
}

export const dateOrBlank = (iso: string | undefined): string | undefined =>
  iso === undefined || iso.trim() === '' ? undefined : formatDateTimeVi(iso);

export function applicantFields(c: Composer, data: FormData, label = 'Ông/Bà'): void {
  const a = data.applicant;
  field(c, label, a.fullName);
  if (a.idNumber) field(c, 'Số định danh cá nhân', a.idNumber);
  if (a.address) field(c, 'Địa chỉ', a.address);
  if (a.phone) field(c, 'Số điện thoại', a.phone);
}

/** The reason as indented paragraphs (one per line of the input), or a dotted blank. */
export function reasonBlock(c: Composer, reason: string | undefined): void {
  const paragraphs = (reason ?? '')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (paragraphs.length === 0) paragraphs.push(BLANK.repeat(3));
  for (const p of paragraphs) c.text(p, { x: MARGIN.left + 18, after: 3 });
  c.gap(4);
}

export interface Signer {
  title: string;
  hint: string;
  name?: string | undefined;
}

/** Signature blocks: one on the right, or two side by side; kept on one page. */
export function signatures(c: Composer, signers: readonly Signer[]): void {
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

export const SIGN_HINT = '(Ký và ghi rõ họ tên)';
export const SEAL_HINT = '(Ký, ghi rõ họ tên và đóng dấu)';

export function footers(c: Composer, data: FormData): void {
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
