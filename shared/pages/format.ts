/** How the pages write dates, money and rates for Vietnamese readers (Asia/Ho_Chi_Minh, UTC+7). */
import { vnClock, vnDayStart } from '../vn-time.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall clock of an instant in Vietnam, as UTC fields of a shifted Date. */
const local = (iso: string): Date | undefined => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : vnClock(t);
};

/** `25/08/2025` */
export function formatDate(iso: string): string {
  const d = local(iso);
  return d ? `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}` : '';
}

/** `25/08/2025` for the local calendar day `2025-08-25`; '' for an unparsable day. */
export function formatDay(day: string): string {
  const t = vnDayStart(day);
  return Number.isNaN(t) ? '' : formatDate(new Date(t).toISOString());
}

/** `09:30 ngày 25/08/2025` */
export function formatDateTime(iso: string): string {
  const d = local(iso);
  return d ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ngày ${formatDate(iso)}` : '';
}

/** `75.000 đồng` (dots between thousands, as Vietnamese writes amounts). */
export function formatDong(amount: number): string {
  const digits = String(Math.round(Math.abs(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}${digits} đồng`;
}

/** A number with a decimal comma: 2,5 */
const formatNumber = (n: number, decimals = 1): string => {
  const s = Number.isInteger(n) ? String(n) : n.toFixed(decimals).replace(/\.?0+$/, '');
  return s.replace('.', ',');
};

/** A rate in [0, 1] as `87,5%`. */
export const formatRate = (r: number): string => `${formatNumber(Math.round(r * 1000) / 10)}%`;

/** Working days, with half days and hours where the catalog has them. */
export function formatWorkingDays(days: number): string {
  if (days === 0) return 'Giải quyết ngay khi nhận đủ hồ sơ';
  if (days < 1) return `${formatNumber(days * 8)} giờ làm việc`;
  return `${formatNumber(days)} ngày làm việc`;
}

/** `2025-08` -> `Tháng 8/2025` */
export const formatMonth = (ym: string): string => {
  const [y, m] = ym.split('-');
  return `Tháng ${Number(m)}/${y}`;
};
