/**
 * Reports for a period (Decision 766 indicators): the period rule, shared by the report, the
 * transparency page and the register (form 07), and the report itself from the fact rows.
 */
import { type QueueStatsReader, type VisitIndicators, visitIndicators } from '../appointments.ts';
import { ValidationError } from '../errors.ts';
import { computeReport, judgedAt, type Report } from '../indicators.ts';
import type { CalendarRepository, Clock, FactStore } from '../ports.ts';
import { type ResidentialGroupRow, residentialGroupRows } from '../residential-report.ts';
import { vnDayStart } from '../vn-time.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** The longest period a report or a register covers. */
const MAX_PERIOD_DAYS = 400;

/**
 * [from 00:00, to 24:00) in Asia/Ho_Chi_Minh, as UTC ISO strings (`toIso` is the period's last
 * millisecond). Throws INVALID_PERIOD for an empty, reversed or longer than 400 days period.
 */
export function period(from: string, to: string): { fromIso: string; toIso: string } {
  const a = vnDayStart(from);
  const b = vnDayStart(to) + 24 * 3600_000;
  if (Number.isNaN(a) || Number.isNaN(b) || b <= a || b - a > MAX_PERIOD_DAYS * 24 * 3600_000) {
    throw new ValidationError('Khoảng thời gian không hợp lệ (tối đa 400 ngày).', undefined, 'INVALID_PERIOD');
  }
  return { fromIso: new Date(a).toISOString(), toIso: new Date(b - 1).toISOString() };
}

interface ReportDeps {
  readonly facts: Pick<FactStore, 'received'>;
  readonly queueStats: QueueStatsReader;
  readonly calendars: Pick<CalendarRepository, 'get'>;
  readonly clock: Clock;
  readonly wards: Pick<WardDirectory, 'get'>;
}

interface ReportRequest {
  /** Days YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  readonly procedureId?: string | undefined;
  /** `residentialGroup` adds the rows per residential group (tổ dân phố). */
  readonly by?: 'residentialGroup' | undefined;
}

interface PeriodReport {
  readonly report: Report & VisitIndicators;
  /** With `by: 'residentialGroup'` only. */
  readonly residentialGroups?: ResidentialGroupRow[];
}

/** The ward's indicators for the period, judged at its end (or now while it runs). */
export async function periodReport(deps: ReportDeps, ward: string, q: ReportRequest): Promise<PeriodReport> {
  const { fromIso, toIso } = period(q.from, q.to);
  const rows = await deps.facts.received(ward, fromIso, toIso, q.procedureId);
  // Judged at the period's end, or now while the period runs: a report asked later says the same.
  const asOf = judgedAt(new Date(toIso), deps.clock.now());
  const report = {
    ...computeReport(
      rows,
      { ward, from: q.from, to: q.to, ...(q.procedureId ? { procedureId: q.procedureId } : {}) },
      asOf,
      await deps.calendars.get(ward),
    ),
    // Visitors at the kiosks, with and without a booking (ward-wide: tickets carry no procedure).
    ...visitIndicators(await deps.queueStats.days(ward, q.from.replace(/-/g, ''), q.to.replace(/-/g, ''))),
  };
  if (q.by !== 'residentialGroup') return { report };
  const w = await deps.wards.get(report.ward);
  return { report, residentialGroups: residentialGroupRows(rows, w?.residentialGroups ?? []) };
}
