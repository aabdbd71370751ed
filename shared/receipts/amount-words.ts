/**
 * Amounts in Vietnamese words (số tiền bằng chữ), as receipts and invoices print them:
 * 1_250_000 -> "Một triệu hai trăm năm mươi nghìn đồng". Northern usage, as in state documents:
 * "nghìn" (not "ngàn"), "linh" (not "lẻ"), "mốt" after a ten of twenty or more, "tư" after
 * twenty or more, "lăm" after any ten; a group below a hundred after a larger unit reads
 * "không trăm" (1_050_000 -> "Một triệu không trăm năm mươi nghìn đồng"). Pure.
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const digit = (i: number): string => DIGITS[i] ?? '';

/** Words of a group of three digits (0-999); `full` reads the hundreds even when zero. */
function group(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (full || h > 0) out.push(digit(h), 'trăm');
  if (t === 0) {
    if (u > 0 && out.length > 0) out.push('linh');
  } else if (t === 1) {
    out.push('mười');
  } else {
    out.push(digit(t), 'mươi');
  }
  if (u > 0) {
    if (u === 1 && t >= 2) out.push('mốt');
    else if (u === 4 && t >= 2) out.push('tư');
    else if (u === 5 && t >= 1) out.push('lăm');
    else out.push(digit(u));
  }
  return out.join(' ');
}

const UNITS = ['', 'nghìn', 'triệu'] as const;

/** Words below a billion (0 < n < 1e9); `full` when a larger unit was read before it. */
function belowBillion(n: number, full: boolean): string {
  const groups = [Math.floor(n / 1_000_000), Math.floor((n % 1_000_000) / 1000), n % 1000];
  const out: string[] = [];
  let started = full;
  groups.forEach((g, i) => {
    if (g === 0) return;
    out.push(group(g, started));
    const unit = UNITS[2 - i];
    if (unit) out.push(unit);
    started = true;
  });
  return out.join(' ');
}

/**
 * A non-negative integer in Vietnamese words, lower case: 21 -> "hai mươi mốt",
 * 1_000_000_000 -> "một tỷ", 0 -> "không". Throws RangeError for anything else.
 */
export function numberToVietnameseWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative safe integer: ${n}`);
  if (n === 0) return DIGITS[0];
  const words = (v: number, full: boolean): string => {
    const billions = Math.floor(v / 1_000_000_000);
    const rest = v % 1_000_000_000;
    const parts: string[] = [];
    if (billions > 0) parts.push(words(billions, full), 'tỷ');
    if (rest > 0) parts.push(belowBillion(rest, full || billions > 0));
    return parts.join(' ');
  };
  return words(n, false);
}

/** An amount in đồng as a receipt writes it: capitalised, ending in "đồng". */
export function amountInWords(amountVnd: number): string {
  const w = numberToVietnameseWords(amountVnd);
  return `${w.charAt(0).toUpperCase()}${w.slice(1)} đồng`;
}
