/**
 * The shipped working-calendar data: default office hours and the per-year tables of days off
 * (ngày nghỉ lễ, tết, nghỉ bù, hoán đổi) and swapped working weekend days (ngày làm bù) for
 * civil servants. Administrators replace or extend these through the calendar configuration;
 * years without a table fall back to the statutory rule in `calendar.ts`.
 *
 * Each `holidays` list names every day off of a break as the government notice announces it,
 * weekend days included, so it reads like the notice; listing a weekend day is harmless.
 */
import type { CalendarYear, WorkingPeriod } from './calendar.ts';

/** Office hours of a working day: 07:00-11:30 and 13:30-17:00, i.e. 8 working hours. */
export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];

/**
 * 2025, as announced (MoLISA notice of Nov 2024 approved by the Prime Minister, and the
 * 30/4-1/5 swap):
 * - New Year: Wed 1/1 only.
 * - Tết Ất Tỵ (lunar new year Wed 29/1): Sat 25/1 to Sun 2/2; the five Tết days are Mon 27/1 to
 *   Fri 31/1, the rest weekends, no make-up day.
 * - Hùng Kings (lunar 10/3): Mon 7/4.
 * - 30/4 and 1/5: Wed 30/4 to Sun 4/5; Fri 2/5 swapped for a working Saturday 26/4.
 * - National Day: Sat 30/8 to Tue 2/9 (1/9 is the adjacent statutory day).
 */
export const CALENDAR_2025: CalendarYear = {
  holidays: [
    '2025-01-01',
    '2025-01-25',
    '2025-01-26',
    '2025-01-27',
    '2025-01-28',
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-02-01',
    '2025-02-02',
    '2025-04-07',
    '2025-04-30',
    '2025-05-01',
    '2025-05-02',
    '2025-05-03',
    '2025-05-04',
    '2025-08-30',
    '2025-08-31',
    '2025-09-01',
    '2025-09-02',
  ],
  workingDays: ['2025-04-26'],
};

/**
 * 2026, as announced (Ministry of Home Affairs notice 9441/TB-BNV of 16/10/2025; Government
 * Office dispatch 12729/VPCP-KGVX of 25/12/2025 for New Year):
 * - New Year: Thu 1/1 to Sun 4/1; Fri 2/1 swapped for a working Saturday 10/1.
 * - Tết Bính Ngọ (lunar new year Tue 17/2): Sat 14/2 to Sun 22/2; the five Tết days are Mon 16/2
 *   to Fri 20/2, no make-up day.
 * - Hùng Kings (lunar 10/3 = Sun 26/4): Sat 25/4 to Mon 27/4, Monday being the compensatory day.
 * - 30/4 and 1/5: Thu 30/4 to Sun 3/5.
 * - National Day: Sat 29/8 to Wed 2/9 (1/9 is the adjacent statutory day); Mon 31/8 swapped for
 *   a working Saturday 22/8.
 */
export const CALENDAR_2026: CalendarYear = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-01-04',
    '2026-02-14',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-04-25',
    '2026-04-26',
    '2026-04-27',
    '2026-04-30',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-08-29',
    '2026-08-30',
    '2026-08-31',
    '2026-09-01',
    '2026-09-02',
  ],
  workingDays: ['2026-01-10', '2026-08-22'],
};

/**
 * 2027: not yet announced. This is the statutory rule applied (the same as `derivedYearTable(2027)`,
 * which a test checks), to be replaced when the government publishes the year's schedule:
 * - New Year: Fri 1/1.
 * - Tết Đinh Mùi (lunar new year Sat 6/2): eve Fri 5/2 to lunar 4th Tue 9/2; Sat 6/2 and Sun 7/2
 *   fall on the weekend, so Wed 10/2 and Thu 11/2 are compensatory days off.
 * - Hùng Kings (lunar 10/3): Fri 16/4.
 * - 30/4 Fri and 1/5 Sat; Mon 3/5 compensatory.
 * - National Day: Thu 2/9 and Fri 3/9 (the adjacent day that joins the weekend).
 */
export const CALENDAR_2027: CalendarYear = {
  holidays: [
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-04-16',
    '2027-04-30',
    '2027-05-01',
    '2027-05-03',
    '2027-09-02',
    '2027-09-03',
  ],
  workingDays: [],
};

/** The shipped year tables, keyed by year (`YYYY`). */
export const DEFAULT_YEAR_TABLES: Readonly<Record<string, CalendarYear>> = {
  '2025': CALENDAR_2025,
  '2026': CALENDAR_2026,
  '2027': CALENDAR_2027,
};
