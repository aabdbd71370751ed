/**
 * The schemas of the working calendar's admin-editable configuration (shared/calendar.ts holds the
 * calendar and its arithmetic). Apart from it so that the functions that only compute deadlines
 * (consumers, the deadline watch) do not load zod.
 */
import * as z from 'zod';
import { CALENDAR_TIME_ZONE, DATE_PATTERN, isRealDate, minutesOf, TIME_PATTERN, weekdayOfKey } from './calendar.ts';

/** A real calendar date, `YYYY-MM-DD`. */
export const isoDateSchema = z
  .string()
  .regex(DATE_PATTERN, 'Ngày phải có dạng YYYY-MM-DD.')
  .refine(isRealDate, 'Ngày không tồn tại trong lịch.');

/** A clock time, `HH:MM`, 00:00 to 23:59. */
const clockTimeSchema = z.string().regex(TIME_PATTERN, 'Giờ phải có dạng HH:MM.');

/** One working period: `start` strictly before `end`. */
const workingPeriodSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((p) => minutesOf(p.start) < minutesOf(p.end), {
    message: 'Giờ bắt đầu phải trước giờ kết thúc.',
    path: ['end'],
  });

/** Office hours: 1 to 6 periods, in order, not overlapping. */
const workingHoursSchema = z
  .array(workingPeriodSchema)
  .min(1)
  .max(6)
  .superRefine((periods, ctx) => {
    for (let i = 1; i < periods.length; i++) {
      const previous = periods[i - 1];
      const current = periods[i];
      if (previous && current && minutesOf(current.start) < minutesOf(previous.end)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau.',
          path: [i, 'start'],
        });
      }
    }
  });

/**
 * One year's admin-editable configuration: optional office hours, days off and working weekend
 * days. Dates must be real, unique, all in one year, not in both lists, and every working day
 * must be a Saturday or Sunday. Use {@link calendarYearSchemaFor} to also pin the year.
 */
export const calendarYearSchema = z
  .strictObject({
    hours: workingHoursSchema.optional(),
    holidays: z.array(isoDateSchema).max(366),
    workingDays: z.array(isoDateSchema).max(106),
    /** The decision that announced the year (số, ngày của thông báo): the year is then "announced". */
    decision: z.string().min(1).max(300).optional(),
    /** Set when the table is still the statutory rule, not the announced schedule (provisional). */
    derived: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const years = new Set([...value.holidays, ...value.workingDays].map((d) => d.slice(0, 4)));
    if (years.size > 1) {
      ctx.addIssue({ code: 'custom', message: 'Mọi ngày phải thuộc cùng một năm.', path: ['holidays'] });
    }
    for (const key of ['holidays', 'workingDays'] as const) {
      const seen = new Set<string>();
      value[key].forEach((d, i) => {
        if (seen.has(d)) ctx.addIssue({ code: 'custom', message: `Ngày ${d} bị lặp.`, path: [key, i] });
        seen.add(d);
      });
    }
    const holidays = new Set(value.holidays);
    value.workingDays.forEach((d, i) => {
      if (holidays.has(d)) {
        ctx.addIssue({
          code: 'custom',
          message: `Ngày ${d} vừa là ngày nghỉ vừa là ngày làm bù.`,
          path: ['workingDays', i],
        });
      }
      if (isRealDate(d)) {
        const weekday = weekdayOfKey(d);
        if (weekday !== 0 && weekday !== 6) {
          ctx.addIssue({
            code: 'custom',
            message: `Ngày làm bù ${d} phải là thứ Bảy hoặc Chủ nhật.`,
            path: ['workingDays', i],
          });
        }
      }
    });
  });

/** {@link calendarYearSchema} that also requires every date to fall in `year`. */
export function calendarYearSchemaFor(year: number) {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return calendarYearSchema.superRefine((value, ctx) => {
    for (const key of ['holidays', 'workingDays'] as const) {
      value[key].forEach((d, i) => {
        if (!d.startsWith(prefix)) {
          ctx.addIssue({ code: 'custom', message: `Ngày ${d} không thuộc năm ${year}.`, path: [key, i] });
        }
      });
    }
  });
}

/** A whole {@link WorkingCalendar}; each year table's dates must match its `YYYY` key. */
export const workingCalendarSchema = z
  .strictObject({
    timeZone: z.literal(CALENDAR_TIME_ZONE),
    hours: workingHoursSchema,
    years: z.record(z.string().regex(/^\d{4}$/, 'Năm phải có dạng YYYY.'), calendarYearSchema),
  })
  .superRefine((value, ctx) => {
    for (const [year, table] of Object.entries(value.years)) {
      for (const key of ['holidays', 'workingDays'] as const) {
        table[key].forEach((d, i) => {
          if (!d.startsWith(`${year}-`)) {
            ctx.addIssue({
              code: 'custom',
              message: `Ngày ${d} không thuộc năm ${year}.`,
              path: ['years', year, key, i],
            });
          }
        });
      }
    }
  });
