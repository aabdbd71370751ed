import { type Color, type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
const MM = 72 / 25.4;
/** Margins of administrative documents (Decree 30/2020): left 30 mm, right/top/bottom 20 mm. */
export const MARGIN = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 20 * MM } as const;
export const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const BODY_SIZE = 11;
export const LEADING = 1.45;
export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);
export const HEADER_FILL = rgb(0.9, 0.9, 0.9);
export const BLANK = '……………………';

export type Align = 'left' | 'center' | 'right';

/** A stretch of text in one weight. */
export interface Run {
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

export interface TextOptions {
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

export class Composer {
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
