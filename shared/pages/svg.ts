/**
 * Server-drawn SVG: the process steps of a procedure and the indicator bar charts. Each picture
 * has a <title> and a <desc> (read by screen readers), and the same facts are in the page's text
 * or tables beside it. Only presentation attributes: no style attribute (the CSP allows none).
 */
import { escapeHtml as esc, type SafeHtml, trustedHtml } from './html.ts';

/** Splits `text` into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}-${++ids}`;

/** The accessible frame of a picture: role, title and description, referenced by id. */
function frame(cls: string, width: number, height: number, title: string, desc: string, body: string): SafeHtml {
  const t = nextId('t');
  const d = nextId('d');
  return trustedHtml(
    `<svg class="${cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${t} ${d}">` +
      `<title id="${t}">${esc(title)}</title><desc id="${d}">${esc(desc)}</desc>${body}</svg>`,
  );
}

interface Step {
  readonly name: string;
  readonly detail?: string | undefined;
}

/** The steps as a vertical flow: numbered boxes joined by arrows (readable on a phone and a poster). */
export function stepsSvg(steps: readonly Step[], title: string): SafeHtml {
  const W = 640;
  const lineH = 22;
  const gap = 30;
  let y = 10;
  let body = '';
  steps.forEach((s, i) => {
    const detail = s.detail ? wrap(s.detail, 54) : [];
    const h = 20 + lineH + detail.length * lineH + 10;
    if (i > 0) {
      const ay = y - gap;
      body +=
        `<line x1="48" y1="${ay + 2}" x2="48" y2="${y - 8}" stroke="#0b4a8b" stroke-width="3"/>` +
        `<polygon points="40,${y - 12} 56,${y - 12} 48,${y - 1}" fill="#0b4a8b"/>`;
    }
    body +=
      `<g><rect x="10" y="${y}" width="${W - 20}" height="${h}" rx="10" fill="#f2f5f9" stroke="#0b4a8b" stroke-width="2"/>` +
      `<circle cx="48" cy="${y + h / 2}" r="22" fill="#0b4a8b"/>` +
      `<text x="48" y="${y + h / 2 + 8}" text-anchor="middle" font-size="22" font-weight="700" fill="#fff">${i + 1}</text>` +
      `<text x="88" y="${y + 30}" font-size="19" font-weight="700" fill="#1b1b1f">${esc(s.name)}</text>` +
      detail
        .map((l, j) => `<text x="88" y="${y + 30 + (j + 1) * lineH}" font-size="16" fill="#33383f">${esc(l)}</text>`)
        .join('') +
      '</g>';
    y += h + gap;
  });
  const height = y - gap + 10;
  const desc = steps.map((s, i) => `Bước ${i + 1}: ${s.name}${s.detail ? ` (${s.detail})` : ''}.`).join(' ');
  return frame('steps', W, height, title, desc, body);
}

export interface Bar {
  readonly label: string;
  /** A fraction in [0, 1]; `undefined` draws no bar (nothing to measure). */
  readonly value: number | undefined;
  /** The text printed after the bar (e.g. `87,5% (35/40)`). */
  readonly text: string;
}

/**
 * Horizontal bars, one per row, the label above its bar and the value after it, on a 0-100%
 * scale with a reference line where the indicator earns full points. Colours and sizes come from
 * the page's stylesheet (classes `l`, `v`, `bg`, `bar`, `tg`, `tt`), which keeps a chart of many
 * rows small.
 */
export function barChart(opts: {
  readonly title: string;
  readonly desc: string;
  readonly bars: readonly Bar[];
  readonly target?: { readonly value: number; readonly label: string };
}): SafeHtml {
  const W = 640;
  const left = 10;
  const barMax = 470;
  const rowH = 52;
  const top = 8;
  let body = '';
  opts.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const label = wrap(b.label, 70)[0] ?? '';
    const shown = label.length < b.label.length ? `${label}…` : label;
    body += `<text x="${left}" y="${y + 15}" class="l">${esc(shown)}</text><rect x="${left}" y="${y + 22}" width="${barMax}" height="20" class="bg"/>`;
    if (b.value !== undefined) {
      const w = Math.max(0, Math.min(1, b.value)) * barMax;
      body += `<rect x="${left}" y="${y + 22}" width="${Math.round(w * 10) / 10}" height="20" class="bar"/>`;
    }
    body += `<text x="${left + barMax + 8}" y="${y + 37}" class="v">${esc(b.text)}</text>`;
  });
  const height = top + opts.bars.length * rowH + 18;
  if (opts.target) {
    const x = left + opts.target.value * barMax;
    body +=
      `<line x1="${x}" y1="${top + 18}" x2="${x}" y2="${height - 14}" class="tg"/>` +
      `<text x="${x}" y="${height - 2}" text-anchor="middle" class="tt">${esc(opts.target.label)}</text>`;
  }
  return frame('chart', W, height, opts.title, opts.desc, body);
}
