/**
 * Indicators of Decision 766/QĐ-TTg (formulas as the national portal computes them, DESIGN.md §5),
 * computed from one fact row per dossier. Pure arithmetic.
 */
import { type Dossier, finishedOnTime, isPaused } from './dossier.ts';

/** What the statistics keep of a dossier: small, no personal data. */
export interface DossierFact {
  readonly dossierId: string;
  readonly ward: string;
  readonly procedureId: string;
  readonly submittedAt: string;
  readonly online: boolean;
  readonly status: number;
  readonly version: number;
  readonly dueAt?: string;
  readonly endedAt?: string;
  readonly acceptedAt?: string;
  readonly supplementCount: number;
  readonly hasFee: boolean;
  readonly paidOnline: boolean;
  readonly digitized: boolean;
  readonly paused: boolean;
  readonly rating?: number;
  readonly complaint: boolean;
  /** The applicant's residential group (tổ dân phố), when known. */
  readonly residentialGroup?: string;
  /** Submitted by a community digital team member. */
  readonly assisted?: true;
}

export function factOf(d: Dossier): DossierFact {
  return {
    dossierId: d.id,
    ward: d.ward,
    procedureId: d.procedureId,
    submittedAt: d.submittedAt,
    online: d.channel === 'online',
    status: d.status,
    version: d.version,
    ...(d.dueAt ? { dueAt: d.dueAt } : {}),
    ...(d.endedAt ? { endedAt: d.endedAt } : {}),
    ...(d.acceptedAt ? { acceptedAt: d.acceptedAt } : {}),
    supplementCount: d.supplementCount,
    hasFee: d.fee > 0 || (d.feeDue ?? 0) > 0,
    paidOnline: d.payment?.online === true,
    digitized: d.components.some((c) => c.digitized !== undefined),
    paused: isPaused(d.status),
    ...(d.rating ? { rating: d.rating.score } : {}),
    complaint: Boolean(d.rating?.complaint) || (d.rating !== undefined && d.rating.score <= 2),
    ...(d.residentialGroup ? { residentialGroup: d.residentialGroup } : {}),
    ...(d.assistedBy ? { assisted: true as const } : {}),
  };
}

export interface Report {
  readonly ward: string;
  readonly from: string;
  readonly to: string;
  readonly procedureId?: string;
  readonly asOf: string;
  readonly received: number;
  /** Finished on time, or still within the deadline (2.1). */
  readonly onTime: number;
  /** Of which finished before the deadline's last working day (sớm hạn) — finished early. */
  readonly early: number;
  readonly overdue: number;
  readonly inProgress: number;
  readonly finished: number;
  readonly online: number;
  readonly feeDossiers: number;
  readonly paidOnline: number;
  readonly digitized: number;
  readonly ratings: number;
  readonly complaints: number;
  readonly onTimeRate: number;
  readonly onlineRate: number;
  readonly onlinePaymentRate: number;
  readonly digitizationRate: number;
  readonly satisfactionRate: number;
  readonly averageProcessingHours: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/** Whether a fact counts as late at `asOf`: finished late, or open past its deadline. */
export function isLate(f: DossierFact, asOf: Date): boolean {
  if (f.endedAt) return finishedOnTime(f) === false;
  if (f.supplementCount > 1) return true;
  if (!f.dueAt || f.paused) return false;
  return asOf.getTime() > Date.parse(f.dueAt);
}

/** The report of §5 over the facts of dossiers received in [from, to]. */
export function computeReport(
  facts: readonly DossierFact[],
  scope: { ward: string; from: string; to: string; procedureId?: string },
  asOf: Date,
): Report {
  let onTime = 0;
  let overdue = 0;
  let early = 0;
  let inProgress = 0;
  let finished = 0;
  let online = 0;
  let feeDossiers = 0;
  let paidOnline = 0;
  let digitized = 0;
  let ratings = 0;
  let complaints = 0;
  let processingMs = 0;
  for (const f of facts) {
    if (isLate(f, asOf)) overdue++;
    else onTime++;
    if (f.endedAt) {
      finished++;
      if (f.acceptedAt) processingMs += Date.parse(f.endedAt) - Date.parse(f.acceptedAt);
      if (f.dueAt && Date.parse(f.dueAt) - Date.parse(f.endedAt) >= 24 * 3600_000 && !isLate(f, asOf)) early++;
    } else inProgress++;
    if (f.online) online++;
    if (f.hasFee) {
      feeDossiers++;
      if (f.paidOnline) paidOnline++;
    }
    if (f.digitized) digitized++;
    if (f.rating !== undefined) ratings++;
    if (f.complaint) complaints++;
  }
  const received = facts.length;
  const lateRate = ratio(overdue, received);
  const complaintRate = ratio(complaints, received);
  return {
    ward: scope.ward,
    from: scope.from,
    to: scope.to,
    ...(scope.procedureId ? { procedureId: scope.procedureId } : {}),
    asOf: asOf.toISOString(),
    received,
    onTime,
    early,
    overdue,
    inProgress,
    finished,
    online,
    feeDossiers,
    paidOnline,
    digitized,
    ratings,
    complaints,
    onTimeRate: ratio(onTime, received),
    onlineRate: ratio(online, received),
    onlinePaymentRate: ratio(paidOnline, feeDossiers),
    digitizationRate: ratio(digitized, received),
    satisfactionRate: received === 0 ? 0 : Math.max(0, Math.round((1 - lateRate - complaintRate) * 10_000) / 10_000),
    averageProcessingHours: finished === 0 ? 0 : Math.round((processingMs / finished / 3600_000) * 10) / 10,
  };
}

/** The report as CSV (one header row, one value row), for spreadsheets. */
export function reportCsv(r: Report): string {
  const keys = Object.keys(r) as (keyof Report)[];
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${keys.join(',')}\n${keys.map((k) => cell(r[k])).join(',')}\n`;
}
