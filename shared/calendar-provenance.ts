/**
 * Where a year of the working calendar comes from (DESIGN.md §5b "Calendar provenance"):
 * announced by the government's decision (with its reference), or derived from the Labor Code
 * 2019 art. 112 rules and the lunar calendar before the announcement (provisional). A deadline
 * in a derived year is provisional: the announced schedule may move it.
 */
import { CalendarOutOfRangeError, type CalendarYear, type WorkingCalendar } from './calendar.ts';
import { DEFAULT_YEAR_TABLES } from './calendar-defaults.ts';
import { LUNAR_YEARS } from './lunar-dates.ts';
import { vnYear } from './vn-time.ts';

type Provenance = 'announced' | 'derived';

interface YearProvenance {
  readonly year: number;
  readonly provenance: Provenance;
  /** The announcing decision's reference, for an announced year (when it was recorded). */
  readonly decision?: string;
}

/** Where the shipped tables (shared/calendar-defaults.ts) come from. */
const SHIPPED_PROVENANCE: Readonly<Record<string, { provenance: Provenance; decision?: string }>> = {
  '2025': {
    provenance: 'announced',
    decision: 'Thông báo của Bộ Lao động - Thương binh và Xã hội (11/2024), được Thủ tướng Chính phủ đồng ý',
  },
  '2026': {
    provenance: 'announced',
    decision: 'Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ; Công văn 12729/VPCP-KGVX ngày 25/12/2025',
  },
  // The statutory rule until the government announces 2027.
  '2027': { provenance: 'derived' },
};

const sameDays = (a: CalendarYear, b: CalendarYear): boolean =>
  a.holidays.join() === b.holidays.join() && a.workingDays.join() === b.workingDays.join();

/**
 * A year's provenance in a ward's calendar. The shipped table, unchanged, has its recorded
 * provenance; a table an administrator set is announced (with its `decision` when given) unless
 * marked `derived`; a year without a table is derived.
 */
export function yearProvenance(cal: WorkingCalendar, year: number): YearProvenance {
  const key = String(year);
  const t = cal.years[key];
  if (!t) return { year, provenance: 'derived' };
  const shipped = DEFAULT_YEAR_TABLES[key];
  const known = SHIPPED_PROVENANCE[key];
  if (shipped && known && sameDays(t, shipped) && !t.decision && t.derived === undefined) return { year, ...known };
  if (t.derived) return { year, provenance: 'derived' };
  return { year, provenance: 'announced', ...(t.decision ? { decision: t.decision } : {}) };
}

/** The local (UTC+7) year of an instant. */
export const localYear = (at: Date): number => vnYear(at);

/** Whether a deadline falls in a derived (provisional) year. */
export const isProvisional = (cal: WorkingCalendar, at: Date): boolean =>
  yearProvenance(cal, localYear(at)).provenance === 'derived';

/**
 * Refuses (422 DATE_OUT_OF_CALENDAR) a moment the calendar cannot compute: a year neither
 * configured nor within the lunar table's years.
 */
export function assertComputable(at: Date, cal?: WorkingCalendar): void {
  const year = localYear(at);
  if (Number.isNaN(year)) throw new CalendarOutOfRangeError(Number.NaN);
  if (cal?.years[String(year)]) return;
  if (year < LUNAR_YEARS.first || year > LUNAR_YEARS.last) throw new CalendarOutOfRangeError(year);
}
