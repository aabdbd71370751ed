import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  type CalendarYear,
  defaultCalendar,
  derivedYearTable,
  dueWithPauses,
  isWorkingDay,
  localDateKey,
  nextWorkingMoment,
  type PauseInterval,
  type WorkingCalendar,
  workingHoursBetween,
  yearTable,
} from '#shared/calendar.ts';
import { CALENDAR_2025, CALENDAR_2026, CALENDAR_2027 } from '#shared/calendar-defaults.ts';
import { calendarYearSchema, calendarYearSchemaFor, workingCalendarSchema } from '#shared/calendar-schema.ts';

const HOUR_MS = 3_600_000;
const cal = defaultCalendar();

/** An instant given as Vietnam local time, `YYYY-MM-DDTHH:MM` (optionally `:SS.mmm`). */
function at(local: string): Date {
  return new Date(`${local.length === 16 ? `${local}:00` : local}+07:00`);
}

/** Vietnam local time of an instant, `YYYY-MM-DDTHH:MM`, for readable assertions. */
function local(date: Date): string {
  return new Date(date.getTime() + 7 * HOUR_MS).toISOString().slice(0, 16);
}

/** Local time of day, `HH:MM:SS.mmm`. */
function timeOfDay(date: Date): string {
  return new Date(date.getTime() + 7 * HOUR_MS).toISOString().slice(11, 23);
}

// Moments from December 2024 to January 2029: shipped tables (2025-2027) and derived ones (2024, 2028).
const instant = fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2029, 0, 1) }).map((ms) => new Date(ms));
// Durations as whole minutes, so sums are exact in floating point.
const minutes = fc.integer({ min: 0, max: 400 * 60 });

describe('Module: calendar', () => {
  describe('year tables', () => {
    it('ships 2027 as exactly the statutory derivation', () => {
      expect(derivedYearTable(2027)).toEqual(CALENDAR_2027);
      expect(yearTable(cal, 2027)).toEqual(CALENDAR_2027);
    });

    it('returns the shipped 2025 and 2026 tables', () => {
      expect(yearTable(cal, 2025)).toEqual(CALENDAR_2025);
      expect(yearTable(cal, 2026)).toEqual(CALENDAR_2026);
    });

    it('derives a year without a table, with compensatory days for weekend holidays', () => {
      // 2028: 1/1 is a Saturday -> Mon 3/1 off. Tết is Wed 26/1: eve Tue 25/1 to lunar 4th Sat 29/1
      // -> Mon 31/1 off. Hùng Kings lunar 10/3 = Tue 4/4. 30/4 is a Sunday and Mon 1/5 is already
      // a holiday -> Tue 2/5 off. 2/9 is a Saturday: adjacent day Fri 1/9, and Mon 4/9 off.
      expect(yearTable(cal, 2028)).toEqual({
        holidays: [
          '2028-01-01',
          '2028-01-03',
          '2028-01-25',
          '2028-01-26',
          '2028-01-27',
          '2028-01-28',
          '2028-01-29',
          '2028-01-31',
          '2028-04-04',
          '2028-04-30',
          '2028-05-01',
          '2028-05-02',
          '2028-09-01',
          '2028-09-02',
          '2028-09-04',
        ],
        workingDays: [],
      });
      // 2030: Tết is Sat 2/2 (Vietnam's calendar; China's is 3/2): eve Fri 1/2 to Tue 5/2, with
      // Wed 6/2 and Thu 7/2 for Sat 2/2 and Sun 3/2. Hùng Kings Fri 12/4. 2/9 is a Monday -> 3/9.
      expect(derivedYearTable(2030).holidays).toEqual([
        '2030-01-01',
        '2030-02-01',
        '2030-02-02',
        '2030-02-03',
        '2030-02-04',
        '2030-02-05',
        '2030-02-06',
        '2030-02-07',
        '2030-04-12',
        '2030-04-30',
        '2030-05-01',
        '2030-09-02',
        '2030-09-03',
      ]);
    });

    it('derives the lunar dates DESIGN.md lists (Tết 29/1/2025, 17/2/2026, 6/2/2027; Hùng Kings 26/4/2026, 7/4/2025)', () => {
      expect(derivedYearTable(2025).holidays).toEqual(expect.arrayContaining(['2025-01-29', '2025-04-07']));
      expect(derivedYearTable(2026).holidays).toEqual(expect.arrayContaining(['2026-02-17', '2026-04-26']));
      expect(derivedYearTable(2027).holidays).toEqual(expect.arrayContaining(['2027-02-06']));
    });

    it('keeps every statutory 2026 day off in the announced 2026 table', () => {
      // The announced table adds swaps (2/1, 31/8) and weekends, but drops no statutory day.
      const announced = new Set(CALENDAR_2026.holidays);
      for (const day of derivedYearTable(2026).holidays) expect(announced.has(day)).toBe(true);
    });

    it('lets a calendar override a year, and uses per-year hours when given', () => {
      const custom: WorkingCalendar = {
        ...cal,
        years: { ...cal.years, '2029': { holidays: [], workingDays: [], hours: [{ start: '08:00', end: '12:00' }] } },
      };
      // Wed 3/1/2029 08:00 + 6 h with a single 08:00-12:00 period -> Thu 4/1 10:00.
      expect(local(addWorkingHours(custom, at('2029-01-03T08:00'), 6))).toBe('2029-01-04T10:00');
      // 1/1/2029 is a working day here because the custom 2029 table lists no holiday.
      expect(isWorkingDay(custom, at('2029-01-01T09:00'))).toBe(true);
      expect(isWorkingDay(cal, at('2029-01-01T09:00'))).toBe(false);
    });

    it('returns a fresh default calendar each call', () => {
      const a = defaultCalendar();
      a.years['2026']?.holidays.push('2026-12-31');
      expect(defaultCalendar().years['2026']?.holidays).not.toContain('2026-12-31');
    });
  });

  describe('Function: isWorkingDay', () => {
    it.each([
      ['2026-01-10T09:00', true, 'Sat 10/1/2026, working Saturday for the New Year swap'],
      ['2026-01-02T09:00', false, 'Fri 2/1/2026, swapped day off'],
      ['2026-01-05T09:00', true, 'Mon 5/1/2026'],
      ['2026-01-11T09:00', false, 'Sun 11/1/2026'],
      ['2026-02-23T09:00', true, 'Mon 23/2/2026, back after Tết'],
      ['2026-02-20T09:00', false, 'Fri 20/2/2026, Tết'],
      ['2026-04-27T09:00', false, 'Mon 27/4/2026, compensatory for Hùng Kings on Sunday'],
      ['2026-08-22T09:00', true, 'Sat 22/8/2026, working Saturday'],
      ['2026-08-31T09:00', false, 'Mon 31/8/2026, swapped day off'],
      ['2026-09-03T09:00', true, 'Thu 3/9/2026'],
      ['2025-04-26T09:00', true, 'Sat 26/4/2025, working Saturday'],
      ['2025-05-02T09:00', false, 'Fri 2/5/2025, swapped day off'],
      ['2025-02-03T09:00', true, 'Mon 3/2/2025, back after Tết'],
      ['2025-01-27T09:00', false, 'Mon 27/1/2025, Tết'],
      ['2025-09-01T09:00', false, 'Mon 1/9/2025, National Day'],
    ])('%s is %s (%s)', (moment, expected) => {
      expect(isWorkingDay(cal, at(moment))).toBe(expected);
    });

    it('uses the Vietnamese date, not the UTC date', () => {
      // 2026-01-09T17:30Z is Sat 10/1 00:30 in Vietnam (working); 2026-01-10T17:30Z is Sun 11/1 00:30.
      expect(isWorkingDay(cal, new Date('2026-01-09T17:30:00Z'))).toBe(true);
      expect(isWorkingDay(cal, new Date('2026-01-10T17:30:00Z'))).toBe(false);
      expect(localDateKey(new Date('2026-01-09T17:30:00Z'))).toBe('2026-01-10');
    });

    it('does not depend on the machine time zone', () => {
      const saved = process.env.TZ;
      try {
        for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
          process.env.TZ = tz;
          expect(isWorkingDay(cal, new Date('2026-01-09T17:30:00Z'))).toBe(true);
          expect(local(addWorkingHours(cal, at('2026-02-13T16:00'), 8))).toBe('2026-02-23T16:00');
        }
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe('Function: nextWorkingMoment', () => {
    it.each([
      ['2026-01-05T07:00', '2026-01-05T07:00', 'period start is inside'],
      ['2026-01-05T06:15', '2026-01-05T07:00', 'before opening'],
      ['2026-01-05T10:20', '2026-01-05T10:20', 'inside the morning'],
      ['2026-01-05T11:30', '2026-01-05T13:30', 'morning end is outside'],
      ['2026-01-05T11:45', '2026-01-05T13:30', 'lunch'],
      ['2026-01-05T17:00', '2026-01-06T07:00', 'afternoon end is outside'],
      ['2026-01-05T17:10', '2026-01-06T07:00', 'after hours'],
      ['2026-01-08T18:00', '2026-01-09T07:00', 'Thursday evening -> Friday morning'],
      ['2026-01-09T18:00', '2026-01-10T07:00', 'Friday evening -> working Saturday 10/1/2026'],
      ['2026-01-17T09:00', '2026-01-19T07:00', 'Saturday -> Monday'],
      ['2026-02-13T17:30', '2026-02-23T07:00', 'Friday before Tết 2026 -> Monday 23/2'],
      ['2025-12-31T17:30', '2026-01-05T07:00', 'New Year 2026: 1-4/1 off'],
    ])('%s -> %s (%s)', (from, expected) => {
      expect(local(nextWorkingMoment(cal, at(from)))).toBe(expected);
    });

    it('keeps the millisecond just before a period end', () => {
      const from = at('2026-01-05T16:59:59.999');
      expect(nextWorkingMoment(cal, from).getTime()).toBe(from.getTime());
    });
  });

  describe('Function: addWorkingHours', () => {
    it.each([
      // from, hours, expected, hand computation
      ['2026-01-05T07:00', 8, '2026-01-05T17:00', 'a full day stays at Monday 17:00, not Tuesday 07:00'],
      ['2026-01-05T07:00', 4.5, '2026-01-05T11:30', 'a full morning stays at 11:30'],
      ['2026-01-05T11:00', 1, '2026-01-05T14:00', '0.5 h to 11:30, 0.5 h from 13:30'],
      ['2026-01-05T09:15', 0.25, '2026-01-05T09:30', 'fractional hours'],
      ['2026-01-05T12:00', 0, '2026-01-05T13:30', '0 h gives the next working moment'],
      // Tết 2026: 1 h on Fri 13/2 (16-17); 14/2-22/2 off; 7 h on Mon 23/2: 4.5 h + 13:30 + 2.5 h.
      ['2026-02-13T16:00', 8, '2026-02-23T16:00', 'Tết 2026'],
      // 2 h on Wed 29/4 (15-17); 30/4-3/5 off; 8 h Mon 4/5; 6 h Tue 5/5: 4.5 h + 13:30 + 1.5 h.
      ['2026-04-29T15:00', 16, '2026-05-05T15:00', '30/4-3/5/2026'],
      // 1 h on Fri 24/4; 25-27/4 off (Mon 27/4 compensatory for Hùng Kings); 7 h Tue 28/4.
      ['2026-04-24T16:00', 8, '2026-04-28T16:00', 'Hùng Kings 2026'],
      // 1 h on Fri 28/8; 29/8-2/9 off (Mon 31/8 swapped); 7 h Thu 3/9.
      ['2026-08-28T16:00', 8, '2026-09-03T16:00', 'National Day 2026'],
      // 1 h on Fri 21/8; Sat 22/8 is a working day: 7 h there.
      ['2026-08-21T16:00', 8, '2026-08-22T16:00', 'working Saturday 22/8/2026'],
      // 1 h Fri 21/8 + 8 h Sat 22/8; Sun off; 7 h Mon 24/8.
      ['2026-08-21T16:00', 16, '2026-08-24T16:00', 'through the working Saturday'],
      // Received Thu 8/1 18:00: starts Fri 9/1 07:00; 8 h -> Fri 17:00.
      ['2026-01-08T18:00', 8, '2026-01-09T17:00', 'after-hours receipt rolls to the next morning'],
      // 1 h Fri 9/1 (16-17); Sat 10/1 is a working day: 1 h -> 08:00.
      ['2026-01-09T16:00', 2, '2026-01-10T08:00', 'working Saturday 10/1/2026'],
      // 1 h Wed 31/12/2025; 1-4/1/2026 off (Fri 2/1 swapped); 7 h Mon 5/1.
      ['2025-12-31T16:00', 8, '2026-01-05T16:00', 'New Year 2026 across year tables'],
      // Tết 2025: 1 h Fri 24/1; 25/1-2/2 off; 7 h Mon 3/2.
      ['2025-01-24T16:00', 8, '2025-02-03T16:00', 'Tết 2025'],
      // 1 h Fri 25/4/2025; Sat 26/4/2025 is a working day: 7 h there.
      ['2025-04-25T16:00', 8, '2025-04-26T16:00', 'working Saturday 26/4/2025'],
      // 1 h Tue 29/4/2025; 30/4-4/5 off (Fri 2/5 swapped); 7 h Mon 5/5.
      ['2025-04-29T16:00', 8, '2025-05-05T16:00', '30/4-4/5/2025'],
      // 1 h Fri 29/8/2025; 30/8-2/9 off; 7 h Wed 3/9.
      ['2025-08-29T16:00', 8, '2025-09-03T16:00', 'National Day 2025'],
    ])('%s + %s h -> %s (%s)', (from, hours, expected) => {
      expect(local(addWorkingHours(cal, at(from), hours))).toBe(expected);
    });

    it('adds working days as 8 h each', () => {
      // Fri 28/8/2026 10:00: 1.5 h + 3.5 h = 5 h that day; 29/8-2/9 off; 8 h Thu 3/9; 3 h Fri 4/9 -> 10:00.
      expect(local(addWorkingDays(cal, at('2026-08-28T10:00'), 2))).toBe('2026-09-04T10:00');
    });

    it('rejects negative, non-finite and absurd durations and invalid dates', () => {
      expect(() => addWorkingHours(cal, at('2026-01-05T07:00'), -1)).toThrow(RangeError);
      expect(() => addWorkingHours(cal, at('2026-01-05T07:00'), Number.NaN)).toThrow(RangeError);
      expect(() => addWorkingHours(cal, at('2026-01-05T07:00'), 1e9)).toThrow(RangeError);
      expect(() => addWorkingHours(cal, new Date(Number.NaN), 1)).toThrow(RangeError);
    });

    it('rejects a calendar without working hours', () => {
      const broken: WorkingCalendar = { ...cal, hours: [] };
      expect(() => addWorkingHours(broken, at('2029-01-03T08:00'), 1)).toThrow(RangeError);
    });

    it('adds 1000 h quickly, skipping whole days', () => {
      const from = at('2027-06-01T07:00');
      addWorkingHours(cal, from, 1000); // warm the year caches (2027, 2028)
      const started = performance.now();
      let due = from;
      for (let i = 0; i < 100; i++) due = addWorkingHours(cal, from, 1000);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(workingHoursBetween(cal, from, due)).toBe(1000);
    });
  });

  describe('Function: workingHoursBetween', () => {
    it.each([
      ['2026-01-05T07:00', '2026-01-05T17:00', 8],
      ['2026-01-05T11:00', '2026-01-05T14:00', 1],
      ['2026-01-05T00:00', '2026-01-06T00:00', 8],
      ['2026-02-13T16:00', '2026-02-23T16:00', 8],
      ['2026-01-09T00:00', '2026-01-12T00:00', 16], // Fri 9/1 + working Sat 10/1
      ['2026-01-05T17:00', '2026-01-05T07:00', 0],
      ['2026-01-05T09:00', '2026-01-05T09:00', 0],
    ])('[%s, %s) has %s working hours', (from, to, expected) => {
      expect(workingHoursBetween(cal, at(from), at(to))).toBe(expected);
    });
  });

  describe('Function: dueWithPauses', () => {
    const start = at('2026-01-05T07:00'); // Monday

    it('equals addWorkingHours without pauses', () => {
      expect(local(dueWithPauses(cal, start, 16, []) ?? new Date(0))).toBe('2026-01-06T17:00');
    });

    it('is undefined while a pause is open', () => {
      expect(dueWithPauses(cal, start, 16, [{ from: at('2026-01-05T09:00') }])).toBeUndefined();
    });

    it('stops the clock during a supplement request', () => {
      // 6 h used Mon 5/1 before 15:00 (4.5 + 1.5); resumes Wed 7/1 09:00: 6 h that day (2.5 + 3.5);
      // the last 4 h on Thu 8/1 from 07:00 -> 11:00.
      const pauses: PauseInterval[] = [{ from: at('2026-01-05T15:00'), to: at('2026-01-07T09:00') }];
      expect(local(dueWithPauses(cal, start, 16, pauses) ?? new Date(0))).toBe('2026-01-08T11:00');
    });

    it('ignores a pause that starts at or after the due moment, or lies in time off', () => {
      const pauses: PauseInterval[] = [
        { from: at('2026-01-06T17:00'), to: at('2026-01-09T09:00') }, // starts at the due moment
        { from: at('2026-01-05T12:00'), to: at('2026-01-05T13:00') }, // lunch break
      ];
      expect(local(dueWithPauses(cal, start, 16, pauses) ?? new Date(0))).toBe('2026-01-06T17:00');
    });

    it('starts the clock at the end of a pause that began before the start', () => {
      const pauses: PauseInterval[] = [{ from: at('2026-01-02T09:00'), to: at('2026-01-06T07:00') }];
      expect(local(dueWithPauses(cal, start, 8, pauses) ?? new Date(0))).toBe('2026-01-06T17:00');
    });

    it('merges overlapping pauses', () => {
      // Paused Mon 09:00 to Tue 09:00 in all: 2 h used Monday (07-09); 6 h on Tuesday from 09:00:
      // 2.5 h to 11:30, then 3.5 h from 13:30 -> 17:00 (without pauses it would be Monday 17:00).
      const pauses: PauseInterval[] = [
        { from: at('2026-01-05T10:00'), to: at('2026-01-06T09:00') },
        { from: at('2026-01-05T09:00'), to: at('2026-01-05T15:00') },
      ];
      expect(local(dueWithPauses(cal, start, 8, pauses) ?? new Date(0))).toBe('2026-01-06T17:00');
    });
  });

  describe('properties', () => {
    it('never lands on a day off, nor outside working hours except exactly at a period end', () => {
      fc.assert(
        fc.property(instant, minutes, (from, m) => {
          const due = addWorkingHours(cal, from, m / 60);
          expect(isWorkingDay(cal, due)).toBe(true);
          const inside = nextWorkingMoment(cal, due).getTime() === due.getTime();
          const atPeriodEnd = m > 0 && ['11:30:00.000', '17:00:00.000'].includes(timeOfDay(due));
          expect(inside || atPeriodEnd).toBe(true);
        }),
        { numRuns: 500 },
      );
    });

    it('adds in steps: add(add(from, n), m) = add(from, n + m) for m > 0', () => {
      fc.assert(
        fc.property(
          instant,
          minutes,
          minutes.filter((m) => m > 0),
          (from, n, m) => {
            const stepwise = addWorkingHours(cal, addWorkingHours(cal, from, n / 60), m / 60);
            expect(stepwise.getTime()).toBe(addWorkingHours(cal, from, (n + m) / 60).getTime());
          },
        ),
        { numRuns: 500 },
      );
    });

    it('counts back what it added: workingHoursBetween(from, add(from, h)) = h', () => {
      fc.assert(
        fc.property(instant, minutes, (from, m) => {
          expect(workingHoursBetween(cal, from, addWorkingHours(cal, from, m / 60))).toBe(m / 60);
        }),
        { numRuns: 500 },
      );
    });

    it('is monotonic in the start and in the duration', () => {
      fc.assert(
        fc.property(instant, instant, minutes, minutes, (a, b, m1, m2) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const [short, long] = m1 <= m2 ? [m1, m2] : [m2, m1];
          expect(addWorkingHours(cal, early, m1 / 60) <= addWorkingHours(cal, late, m1 / 60)).toBe(true);
          expect(addWorkingHours(cal, a, short / 60) <= addWorkingHours(cal, a, long / 60)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });

    it('addWorkingDays(d) = addWorkingHours(8 d)', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 0, max: 60 }), (from, d) => {
          expect(addWorkingDays(cal, from, d).getTime()).toBe(addWorkingHours(cal, from, 8 * d).getTime());
        }),
        { numRuns: 500 },
      );
    });

    it('with pauses, runs exactly the requested working time outside the pauses', () => {
      const pauseList = fc
        .uniqueArray(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 11, 1) }), {
          minLength: 0,
          maxLength: 8,
        })
        .map((points) => {
          const sorted = [...points].sort((x, y) => x - y);
          const pauses: PauseInterval[] = [];
          for (let i = 0; i + 1 < sorted.length; i += 2) {
            pauses.push({ from: new Date(sorted[i] ?? 0), to: new Date(sorted[i + 1] ?? 0) });
          }
          return pauses;
        });
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 11, 1) }).map((ms) => new Date(ms)),
          minutes,
          pauseList,
          (start, m, pauses) => {
            const due = dueWithPauses(cal, start, m / 60, pauses);
            if (due === undefined) throw new Error('no open pause was generated');
            let paused = 0;
            for (const p of pauses) {
              const from = Math.max(p.from.getTime(), start.getTime());
              const to = Math.min(p.to?.getTime() ?? 0, due.getTime());
              if (to > from) paused += workingHoursBetween(cal, new Date(from), new Date(to));
            }
            expect(workingHoursBetween(cal, start, due) - paused).toBeCloseTo(m / 60, 6);
            expect(due >= addWorkingHours(cal, start, m / 60)).toBe(true);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('schemas', () => {
    it('accepts the shipped tables and the default calendar', () => {
      expect(calendarYearSchemaFor(2025).safeParse(CALENDAR_2025).success).toBe(true);
      expect(calendarYearSchemaFor(2026).safeParse(CALENDAR_2026).success).toBe(true);
      expect(calendarYearSchemaFor(2027).safeParse(CALENDAR_2027).success).toBe(true);
      expect(workingCalendarSchema.safeParse(defaultCalendar()).success).toBe(true);
    });

    it('accepts a year with its own hours', () => {
      const year = {
        hours: [
          { start: '07:30', end: '11:30' },
          { start: '13:00', end: '17:00' },
        ],
        holidays: ['2028-01-01'],
        workingDays: [],
      };
      expect(calendarYearSchemaFor(2028).safeParse(year).success).toBe(true);
    });

    const base: CalendarYear = { holidays: ['2026-01-01'], workingDays: ['2026-01-10'] };
    it.each([
      ['an impossible date', { ...base, holidays: ['2026-02-29'] }],
      ['a malformed date', { ...base, holidays: ['2026-2-1'] }],
      ['a month 13', { ...base, holidays: ['2026-13-01'] }],
      ['an unknown key', { ...base, note: 'x' }],
      ['a missing list', { holidays: [] }],
      ['a duplicate day', { ...base, holidays: ['2026-01-01', '2026-01-01'] }],
      ['a weekday as working day', { ...base, workingDays: ['2026-01-09'] }],
      ['a day in both lists', { holidays: ['2026-01-10'], workingDays: ['2026-01-10'] }],
      ['mixed years', { ...base, holidays: ['2027-01-01'] }],
      ['another year', { holidays: ['2027-01-01'], workingDays: [] }],
      ['too many days', { holidays: Array.from({ length: 367 }, () => '2026-01-01'), workingDays: [] }],
      [
        'overlapping hours',
        {
          ...base,
          hours: [
            { start: '07:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        },
      ],
      ['an empty period', { ...base, hours: [{ start: '13:00', end: '13:00' }] }],
      ['a bad clock time', { ...base, hours: [{ start: '7:00', end: '11:30' }] }],
      ['no hours', { ...base, hours: [] }],
      ['an unknown key in a period', { ...base, hours: [{ start: '07:00', end: '11:30', lunch: true }] }],
    ])('rejects %s', (_label, input) => {
      expect(calendarYearSchemaFor(2026).safeParse(input).success).toBe(false);
    });

    it('accepts a leap day only in a leap year', () => {
      expect(calendarYearSchema.safeParse({ holidays: ['2028-02-29'], workingDays: [] }).success).toBe(true);
      expect(calendarYearSchema.safeParse({ holidays: ['2027-02-29'], workingDays: [] }).success).toBe(false);
    });

    it('rejects a calendar whose year key does not match its dates', () => {
      const calendar = { ...defaultCalendar(), years: { '2026': CALENDAR_2025 } };
      expect(workingCalendarSchema.safeParse(calendar).success).toBe(false);
    });
  });
});
