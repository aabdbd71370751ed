/**
 * The electronic receipt of a fee (biên lai thu phí, lệ phí điện tử; Decree 123/2020/NĐ-CP) as an
 * A4 PDF, with pdf-lib and Be Vietnam Pro like the forms (shared/forms/render.ts): the collecting
 * organisation, the template and series symbols and the number, the payer, the fee, the amount in
 * figures and in words, the method and date, and a QR code of the public verification with the
 * receipt's SHA-256. Deterministic: the same receipt gives the same bytes.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { formatReceiptNumber, METHOD_NAMES_VI, type Receipt } from '../receipts/receipts.ts';
import { vnClock } from '../vn-time.ts';
import type { FontBytes } from './fonts.ts';
import { qrPngBytes } from './qr-png.ts';

const PAGE: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const LEFT = 25 * MM;
const RIGHT = PAGE[0] - 20 * MM;
const WIDTH = RIGHT - LEFT;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

/** `15/08/2025` and `08:30` in Vietnam time (UTC+7, no daylight saving). */
function vnDate(iso: string): { date: string; time: string; words: string } {
  const d = vnClock(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(iso)}`);
  const p = (n: number) => String(n).padStart(2, '0');
  const m = d.getUTCMonth() + 1;
  return {
    date: `${p(d.getUTCDate())}/${p(m)}/${d.getUTCFullYear()}`,
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
    words: `Ngày ${p(d.getUTCDate())} tháng ${m <= 2 ? p(m) : m} năm ${d.getUTCFullYear()}`,
  };
}

/** `1.250.000` (Vietnamese grouping, deterministic whatever the host's ICU). */
const formatAmount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

class Writer {
  y = PAGE[1] - 20 * MM;
  private readonly supported: Set<number>;

  constructor(
    readonly page: PDFPage,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.supported = new Set(regular.getCharacterSet());
  }

  /** NFC, and `?` for what the font cannot draw. */
  clean(text: string): string {
    return Array.from(text.normalize('NFC').replace(/[\p{Cc}\p{Cf}]/gu, ' '))
      .map((ch) => (ch === ' ' || this.supported.has(ch.codePointAt(0) ?? 0) ? ch : '?'))
      .join('');
  }

  /** Wraps `text` into lines of at most `width` points. */
  lines(text: string, font: PDFFont, size: number, width: number): string[] {
    const out: string[] = [];
    let line = '';
    for (const word of this.clean(text).split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        out.push(line);
        line = word;
      }
    }
    if (line) out.push(line);
    return out;
  }

  text(
    text: string,
    o: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; x?: number; width?: number } = {},
  ) {
    const size = o.size ?? 11;
    const font = o.bold ? this.bold : this.regular;
    const x0 = o.x ?? LEFT;
    const width = o.width ?? RIGHT - x0;
    for (const line of this.lines(text, font, size, width)) {
      const w = font.widthOfTextAtSize(line, size);
      const x = o.align === 'center' ? x0 + (width - w) / 2 : o.align === 'right' ? x0 + width - w : x0;
      this.y -= size * 1.45;
      this.page.drawText(line, { x, y: this.y, size, font, color: BLACK });
    }
  }

  /** `Label: value`, the value wrapped beside the label. */
  field(label: string, value: string, bold = false) {
    const size = 11;
    const head = `${label}: `;
    const lw = this.regular.widthOfTextAtSize(this.clean(head), size);
    const font = bold ? this.bold : this.regular;
    const lines = this.lines(value, font, size, WIDTH - lw);
    this.y -= size * 1.6;
    this.page.drawText(this.clean(head), { x: LEFT, y: this.y, size, font: this.regular, color: BLACK });
    lines.forEach((l, i) => {
      if (i > 0) this.y -= size * 1.45;
      this.page.drawText(l, { x: LEFT + lw, y: this.y, size, font, color: BLACK });
    });
  }
}

/**
 * Renders one receipt as PDF. `verifyUrl` is what the QR code opens (the public verification);
 * `fonts` the TTF bytes of shared/forms/fonts.ts.
 * @throws RangeError when the receipt's date does not parse.
 */
export async function renderReceipt(r: Receipt, verifyUrl: string, fonts: FontBytes): Promise<Uint8Array> {
  const issued = vnDate(r.issuedAt);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'MCVNRE+BeVietnamPro-Regular' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'MCVNBD+BeVietnamPro-Bold' });
  const qr = await doc.embedPng(await qrPngBytes(verifyUrl));
  const w = new Writer(doc.addPage(PAGE), regular, bold);

  // Organisation (left) and the symbols and number (right).
  const top = w.y;
  const half = WIDTH * 0.55;
  w.text(`Đơn vị thu: ${r.organisation.name}`, { bold: true, width: half });
  if (r.organisation.unitCode) w.text(`Mã đơn vị: ${r.organisation.unitCode}`, { width: half, size: 10 });
  if (r.organisation.address) w.text(`Địa chỉ: ${r.organisation.address}`, { width: half, size: 10 });
  const leftBottom = w.y;
  w.y = top;
  const rx = LEFT + half + 10;
  const rw = RIGHT - rx;
  w.text(`Mẫu số: ${r.templateSymbol}`, { x: rx, width: rw, align: 'right', size: 10 });
  w.text(`Ký hiệu: ${r.series}`, { x: rx, width: rw, align: 'right', size: 10 });
  w.text(`Số: ${formatReceiptNumber(r.number)}`, { x: rx, width: rw, align: 'right', bold: true });
  w.y = Math.min(w.y, leftBottom) - 18;

  w.text('BIÊN LAI THU PHÍ, LỆ PHÍ', { bold: true, size: 15, align: 'center' });
  w.text('(Biên lai điện tử)', { align: 'center', size: 10 });
  w.y -= 10;

  w.field('Tên người nộp', r.payer.name, true);
  if (r.payer.address) w.field('Địa chỉ', r.payer.address);
  w.field('Tên loại phí, lệ phí', r.feeName);
  w.field('Mã hồ sơ', r.dossierCode);
  w.field('Số tiền', `${formatAmount(r.amount)} đồng`, true);
  w.field('Viết bằng chữ', r.amountInWords);
  w.field('Hình thức thanh toán', METHOD_NAMES_VI[r.method]);
  if (r.transactionNo) w.field('Mã giao dịch', r.transactionNo);
  w.field('Thời điểm thu', `${issued.time} ${issued.date}`);
  w.y -= 14;
  w.text(issued.words, { x: LEFT + WIDTH / 2, width: WIDTH / 2, align: 'center' });
  w.text('ĐƠN VỊ THU', { x: LEFT + WIDTH / 2, width: WIDTH / 2, align: 'center', bold: true });
  w.text('(Biên lai điện tử, không cần chữ ký tay)', {
    x: LEFT + WIDTH / 2,
    width: WIDTH / 2,
    align: 'center',
    size: 9,
  });

  // The QR code of the public verification, and the digest it shows.
  const side = 30 * MM;
  const qrTop = w.y - 10;
  w.page.drawImage(qr, { x: LEFT, y: qrTop - side, width: side, height: side });
  w.y = qrTop;
  const tx = LEFT + side + 10;
  w.text('Quét mã để kiểm tra biên lai.', { x: tx, size: 9 });
  w.text(`Tra cứu: ${verifyUrl}`, { x: tx, size: 8 });
  w.text(`Mã kiểm tra (SHA-256): ${r.digest}`, { x: tx, size: 8 });
  w.page.drawText(w.clean(`Biên lai ${r.series} số ${formatReceiptNumber(r.number)} - mã ${r.id}`), {
    x: LEFT,
    y: 12 * MM,
    size: 8,
    font: regular,
    color: GREY,
  });

  const at = new Date(Date.parse(r.issuedAt));
  doc.setTitle(`Biên lai ${r.series} số ${formatReceiptNumber(r.number)}`, { showInWindowTitleBar: true });
  doc.setSubject('Biên lai thu phí, lệ phí điện tử (Nghị định 123/2020/NĐ-CP)');
  doc.setAuthor(r.organisation.name);
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setProducer('motcua (pdf-lib)');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return doc.save();
}
