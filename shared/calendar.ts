/**
 * The working-day calendar (lịch làm việc) and deadline arithmetic in working hours.
 *
 * All arithmetic is in Asia/Ho_Chi_Minh time, which is UTC+7 all year (no daylight saving), so a
 * fixed +07:00 offset is exact and nothing here depends on the machine's time zone. Durations
 * are in working hours; one working day is 8 hours (DESIGN.md §5 "Deadlines"). Times are kept to
 * the millisecond.
 *
 * A calendar is treated as immutable: resolved year tables are cached per calendar object, so
 * build a calendar once and reuse it, and build a new object to change it.
 */

import { DEFAULT_WORKING_HOURS, DEFAULT_YEAR_TABLES } from './calendar-defaults.ts';
import { UnprocessableError } from './errors.ts';
import { LUNAR_DATES, LUNAR_YEARS } from './lunar-dates.ts';
import { VN_OFFSET_MS } from './vn-time.ts';

/**
 * A moment in a year the calendar cannot compute: neither configured nor within the lunar
 * table's years. A 422 wherever it surfaces (a submission, a deadline list, the add route).
 */
export class CalendarOutOfRangeError extends UnprocessableError {
  constructor(readonly year: number) {
    super(
      'DATE_OUT_OF_CALENDAR',
      `Năm ${year} nằm ngoài lịch làm việc tính được (${LUNAR_YEARS.first}-${LUNAR_YEARS.last} hoặc năm đã cấu hình).`,
      { year, computable: { from: LUNAR_YEARS.first, to: LUNAR_YEARS.last } },
    );
  }
}

/** One working period of a day, local time, `HH:MM` (24-hour clock), `start < end`. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** One year's table of exceptions to the Monday-to-Friday week. */
export interface CalendarYear {
  /** Days off, `YYYY-MM-DD`: holidays, compensatory days off (nghỉ bù), swapped days; weekdays or weekends. */
  holidays: string[];
  /** Weekend days that are working days (ngày làm bù), `YYYY-MM-DD`. */
  workingDays: string[];
  /** Office hours for the days of this year; when absent the calendar's `hours` apply. */
  hours?: WorkingPeriod[] | undefined;
  /**
   * The government's decision that announced this year's days off (provenance "announced"), e.g.
   * `Thông báo 9441/TB-BNV ngày 16/10/2025`. See shared/calendar-provenance.ts.
   */
  decision?: string | undefined;
  /** True for a table computed from the Labor Code rules before the year is announced (provisional). */
  derived?: boolean | undefined;
}

/** The working calendar of the center: office hours plus per-year holiday tables. */
export interface WorkingCalendar {
  timeZone: 'Asia/Ho_Chi_Minh';
  /** Office hours of a working day, in order, not overlapping. */
  hours: WorkingPeriod[];
  /** Year tables keyed by `YYYY`; a year without a table uses {@link derivedYearTable}. */
  years: Record<string, CalendarYear>;
}

/** A stretch of time during which the processing clock stops (e.g. a supplement request). */
export interface PauseInterval {
  from: Date;
  /** End of the pause; absent while the pause is still open. */
  to?: Date;
}

/** The calendar's time zone. */
export const CALENDAR_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Working hours in one working day (8 h = 1 day). */
const WORKING_HOURS_PER_DAY = 8;
/** Largest duration the arithmetic accepts (about 48 years of working days); larger is a bug. */
export const MAX_WORKING_HOURS = 100_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far the arithmetic looks for a working day before it decides the calendar has none. */
const MAX_IDLE_DAYS = 3_700;

// ---------------------------------------------------------------------------------------------
// Dates and clock times as text (the schemas of shared/calendar-schema.ts check them too)
// ---------------------------------------------------------------------------------------------

export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A real calendar date, `YYYY-MM-DD`. */
export function isRealDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Minutes since midnight of `HH:MM` (NaN when it is not one). */
export function minutesOf(time: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) return Number.NaN;
  return Number(match[1]) * 60 + Number(match[2]);
}

// ---------------------------------------------------------------------------------------------
// Days and year tables
// ---------------------------------------------------------------------------------------------

/** Local (UTC+7) day number: days since 1970-01-01 in Vietnam. */
function dayNumberOf(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
}

/** The instant local midnight of a day number begins. */
function dayStartMs(day: number): number {
  return day * DAY_MS - VN_OFFSET_MS;
}

function keyOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function dayOfKey(key: string): number {
  return Math.floor(Date.parse(`${key}T00:00:00Z`) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekdayOfKey(key: string): number {
  return weekdayOfDay(dayOfKey(key));
}

function isWeekendKey(key: string): boolean {
  const weekday = weekdayOfKey(key);
  return weekday === 0 || weekday === 6;
}

function addDaysToKey(key: string, days: number): string {
  return keyOfDay(dayOfKey(key) + days);
}

/** The local calendar date (Asia/Ho_Chi_Minh) of an instant, `YYYY-MM-DD`. */
export function localDateKey(date: Date): string {
  return keyOfDay(dayNumberOf(instantOf(date)));
}

const derivedCache = new Map<number, CalendarYear>();

/** Tết (lunar 1/1) and Hùng Kings (lunar 10/3) of a year, from the precomputed table. */
function lunarHolidays(year: number): { tet: string; hungKings: string } {
  const days = LUNAR_DATES[year];
  if (!days) throw new CalendarOutOfRangeError(year);
  return { tet: `${year}-${days[0]}`, hungKings: `${year}-${days[1]}` };
}

/**
 * The statutory table of a year (Labor Code 2019 art. 112), for years the government has not yet
 * announced: 1/1; Tết as the lunar new year's eve plus lunar 1-4 (5 days); Hùng Kings (lunar
 * 10/3); 30/4; 1/5; 2/9 plus the adjacent day (1/9 or 3/9) that joins it to the weekend. Each of
 * these on a Saturday or Sunday gives a compensatory day off (nghỉ bù) on the next working day.
 * No swapped working days: those are decided each year. Lunar dates come from date-holidays.
 *
 * @param year Gregorian year, e.g. 2027.
 */
export function derivedYearTable(year: number): CalendarYear {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new CalendarOutOfRangeError(year);
  const cached = derivedCache.get(year);
  if (cached) return { holidays: [...cached.holidays], workingDays: [] };

  const { tet, hungKings } = lunarHolidays(year);
  const y = String(year);
  const nationalDay = `${y}-09-02`;
  // Adjacent National Day: 1/9 when 2/9 is Tue/Wed/Fri/Sat, 3/9 when Mon/Thu/Sun (bridges to the weekend).
  const adjacent = [1, 4, 0].includes(weekdayOfKey(nationalDay)) ? `${y}-09-03` : `${y}-09-01`;
  const statutory = [
    `${y}-01-01`,
    ...[-1, 0, 1, 2, 3].map((offset) => addDaysToKey(tet, offset)),
    hungKings,
    `${y}-04-30`,
    `${y}-05-01`,
    nationalDay,
    adjacent,
  ].sort();

  const off = new Set(statutory);
  for (const day of statutory) {
    if (!isWeekendKey(day)) continue;
    let substitute = addDaysToKey(day, 1);
    while (isWeekendKey(substitute) || off.has(substitute)) substitute = addDaysToKey(substitute, 1);
    off.add(substitute);
  }
  const table: CalendarYear = { holidays: [...off].sort(), workingDays: [] };
  derivedCache.set(year, table);
  return { holidays: [...table.holidays], workingDays: [] };
}

/**
 * The calendar the center starts with: default office hours and the shipped tables for 2025,
 * 2026 and 2027. Returns a fresh object each call; build it once and reuse it.
 */
export function defaultCalendar(): WorkingCalendar {
  const years: Record<string, CalendarYear> = {};
  for (const [year, table] of Object.entries(DEFAULT_YEAR_TABLES)) {
    years[year] = {
      holidays: [...table.holidays],
      workingDays: [...table.workingDays],
      ...(table.hours ? { hours: table.hours.map((p) => ({ ...p })) } : {}),
    };
  }
  return { timeZone: CALENDAR_TIME_ZONE, hours: DEFAULT_WORKING_HOURS.map((p) => ({ ...p })), years };
}

/** The table in force for `year`: the calendar's own, else {@link derivedYearTable}. */
export function yearTable(cal: WorkingCalendar, year: number): CalendarYear {
  return cal.years[String(year)] ?? derivedYearTable(year);
}

/** A year table made ready for lookups; periods in minutes after local midnight. */
interface ResolvedYear {
  holidays: ReadonlySet<string>;
  workingDays: ReadonlySet<string>;
  periods: readonly (readonly [number, number])[];
}

const resolvedCache = new WeakMap<WorkingCalendar, Map<number, ResolvedYear>>();

function parseHours(hours: readonly WorkingPeriod[]): (readonly [number, number])[] {
  if (hours.length === 0) throw new RangeError('A working calendar needs at least one working period.');
  const periods = hours.map((p) => [minutesOf(p.start), minutesOf(p.end)] as const);
  let previousEnd = 0;
  for (const [start, end] of periods) {
    if (!(start >= previousEnd && start < end)) {
      throw new RangeError(`Invalid working hours: ${JSON.stringify(hours)}`);
    }
    previousEnd = end;
  }
  return periods;
}

function resolvedYear(cal: WorkingCalendar, year: number): ResolvedYear {
  let byYear = resolvedCache.get(cal);
  if (!byYear) {
    byYear = new Map();
    resolvedCache.set(cal, byYear);
  }
  let resolved = byYear.get(year);
  if (!resolved) {
    const table = yearTable(cal, year);
    resolved = {
      holidays: new Set(table.holidays),
      workingDays: new Set(table.workingDays),
      periods: parseHours(table.hours ?? cal.hours),
    };
    byYear.set(year, resolved);
  }
  return resolved;
}

const NO_PERIODS: readonly (readonly [number, number])[] = [];

/**
 * The working periods of a local day, in minutes after midnight; empty on a day off. A day listed
 * as a holiday is off even if it is also listed as a working day.
 */
function periodsOfDay(cal: WorkingCalendar, day: number): readonly (readonly [number, number])[] {
  const key = keyOfDay(day);
  const resolved = resolvedYear(cal, Number(key.slice(0, 4)));
  if (resolved.holidays.has(key)) return NO_PERIODS;
  if (resolved.workingDays.has(key)) return resolved.periods;
  const weekday = weekdayOfDay(day);
  return weekday === 0 || weekday === 6 ? NO_PERIODS : resolved.periods;
}

function instantOf(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid date.');
  return ms;
}

function durationMs(hours: number): number {
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_WORKING_HOURS) {
    throw new RangeError(`Working hours must be between 0 and ${MAX_WORKING_HOURS}: ${hours}`);
  }
  return Math.round(hours * HOUR_MS);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic (on epoch milliseconds)
// ---------------------------------------------------------------------------------------------

function nextWorkingMs(cal: WorkingCalendar, from: number): number {
  let day = dayNumberOf(from);
  for (let idle = 0; idle <= MAX_IDLE_DAYS; idle++, day++) {
    const base = dayStartMs(day);
    for (const [start, end] of periodsOfDay(cal, day)) {
      const startMs = base + start * MINUTE_MS;
      if (from < startMs) return startMs;
      if (from < base + end * MINUTE_MS) return from;
    }
  }
  throw new RangeError(`No working time within ${MAX_IDLE_DAYS} days of ${new Date(from).toISOString()}.`);
}

function addWorkingMs(cal: WorkingCalendar, from: number, amount: number): number {
  let cursor = nextWorkingMs(cal, from);
  let remaining = amount;
  if (remaining === 0) return cursor;
  let day = dayNumberOf(cursor);
  let idle = 0;
  for (;;) {
    const periods = periodsOfDay(cal, day);
    if (periods.length === 0) {
      if (++idle > MAX_IDLE_DAYS) throw new RangeError(`No working time within ${MAX_IDLE_DAYS} days.`);
    } else {
      idle = 0;
      const base = dayStartMs(day);
      for (const [start, end] of periods) {
        const endMs = base + end * MINUTE_MS;
        if (cursor >= endMs) continue;
        const segmentStart = Math.max(cursor, base + start * MINUTE_MS);
        const available = endMs - segmentStart;
        // `<=`: a deadline that uses up a period exactly stays at that period's end.
        if (remaining <= available) return segmentStart + remaining;
        remaining -= available;
        cursor = endMs;
      }
    }
    day++;
  }
}

function workingMsBetween(cal: WorkingCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (let day = dayNumberOf(from); dayStartMs(day) < to; day++) {
    const base = dayStartMs(day);
    for (const [start, end] of periodsOfDay(cal, day)) {
      const overlap = Math.min(to, base + end * MINUTE_MS) - Math.max(from, base + start * MINUTE_MS);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Public arithmetic
// ---------------------------------------------------------------------------------------------

/** Whether the local (Asia/Ho_Chi_Minh) day containing `date` is a working day. */
export function isWorkingDay(cal: WorkingCalendar, date: Date): boolean {
  return periodsOfDay(cal, dayNumberOf(instantOf(date))).length > 0;
}

/**
 * `from` itself when it lies inside a working period of a working day (periods are half-open:
 * 07:00 is inside, 17:00 is not); otherwise the start of the next working period
 * (11:45 -> 13:30 the same day, 17:10 -> 07:00 the next working day, Saturday -> Monday 07:00).
 */
export function nextWorkingMoment(cal: WorkingCalendar, from: Date): Date {
  return new Date(nextWorkingMs(cal, instantOf(from)));
}

/**
 * The moment `hours` working hours after `from`, counting from {@link nextWorkingMoment}(from).
 * A result that uses up a period exactly stays at that period's end (Monday 07:00 + 8 h is Monday
 * 17:00, not Tuesday 07:00). `hours` may be fractional (kept to the millisecond), 0 to
 * {@link MAX_WORKING_HOURS}; 0 gives `nextWorkingMoment(from)`.
 */
export function addWorkingHours(cal: WorkingCalendar, from: Date, hours: number): Date {
  return new Date(addWorkingMs(cal, instantOf(from), durationMs(hours)));
}

/** {@link addWorkingHours} with `days` x 8 working hours. */
export function addWorkingDays(cal: WorkingCalendar, from: Date, days: number): Date {
  return addWorkingHours(cal, from, days * WORKING_HOURS_PER_DAY);
}

/** Working hours in `[from, to)`; 0 when `to <= from`. */
export function workingHoursBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  return workingMsBetween(cal, instantOf(from), instantOf(to)) / HOUR_MS;
}

/**
 * The due moment of a clock that starts at `start`, runs `hours` working hours and stops during
 * each pause (e.g. while a supplement request is outstanding). Pauses may overlap each other or
 * begin before `start`; a pause that begins at or after the due moment changes nothing. Returns
 * `undefined` while any pause is open (no `to`), since the due moment is not yet known.
 */
export function dueWithPauses(
  cal: WorkingCalendar,
  start: Date,
  hours: number,
  pauses: readonly PauseInterval[],
): Date | undefined {
  const intervals: [number, number][] = [];
  for (const pause of pauses) {
    if (pause.to === undefined) return undefined;
    intervals.push([instantOf(pause.from), instantOf(pause.to)]);
  }
  intervals.sort((a, b) => a[0] - b[0]);

  let cursor = instantOf(start);
  let remaining = durationMs(hours);
  for (const [from, to] of intervals) {
    if (to <= cursor) continue;
    if (from > cursor) {
      const due = addWorkingMs(cal, cursor, remaining);
      if (due <= from) return new Date(due);
      remaining -= workingMsBetween(cal, cursor, from);
    }
    cursor = to;
  }
  return new Date(addWorkingMs(cal, cursor, remaining));
}
