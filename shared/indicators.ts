/**
 * Indicators of Decision 766/QĐ-TTg (formulas as the national portal computes them, DESIGN.md §5),
 * computed from one fact row per dossier. Pure arithmetic.
 */
import { type WorkingCalendar, workingHoursBetween } from './calendar.ts';
import { csvLine } from './csv.ts';
import { type Dossier, isClockPaused, STATUS } from './dossier.ts';
import { RESULT_COMPONENT_ID } from './scans.ts';

/** What the statistics keep of a dossier: small, no personal data. */
export interface DossierFact {
  readonly dossierId: string;
  readonly ward: string;
  readonly procedureId: string;
  readonly submittedAt: string;
  /** Received online (nộp trực tuyến); 3.3 also needs {@link DossierFact.electronicResult}. */
  readonly online: boolean;
  readonly status: number;
  readonly version: number;
  readonly dueAt?: string;
  readonly endedAt?: string;
  readonly acceptedAt?: string;
  readonly supplementCount: number;
  /** The moment it became late for good (see Dossier.lateSince). */
  readonly lateSince?: string;
  readonly hasFee: boolean;
  readonly paidOnline: boolean;
  /** Components scanned (thành phần hồ sơ được số hóa); 4.2 also needs an electronic result. */
  readonly digitized: boolean;
  /** A signed electronic result was issued (kết quả điện tử có ký số). */
  readonly electronicResult?: boolean;
  /** The clock is paused now (an open pause). */
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
    ...(d.lateSince ? { lateSince: d.lateSince } : {}),
    hasFee: d.fee > 0 || (d.feeDue ?? 0) > 0,
    paidOnline: d.payment?.online === true,
    digitized: d.components.some((c) => c.digitized !== undefined && c.id !== RESULT_COMPONENT_ID),
    electronicResult: d.resultSignedAt !== undefined,
    paused: isClockPaused(d),
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
  /** The moment the dossiers are judged at: the period's end, or now while the period runs. */
  readonly asOf: string;
  readonly received: number;
  /** Accepted by `asOf`: the dossiers judged on time or late (2.1's denominator). */
  readonly judged: number;
  /** Received in the period but not accepted by `asOf` (status 1, completion asked, withdrawn before acceptance). */
  readonly notAccepted: number;
  /** Refused at intake (status 3 before acceptance). */
  readonly refusedAtIntake: number;
  /** Finished on time, or still within the deadline (2.1). */
  readonly onTime: number;
  /** Of which finished at least a day before the deadline (sớm hạn). */
  readonly early: number;
  readonly overdue: number;
  readonly inProgress: number;
  readonly finished: number;
  /** Received online with an electronic (signed) result (3.3's numerator). */
  readonly online: number;
  /** Received online, electronic result or not (for information). */
  readonly receivedOnline: number;
  readonly feeDossiers: number;
  readonly paidOnline: number;
  /** Components scanned and a signed electronic result (4.2's numerator). */
  readonly digitized: number;
  /** Components scanned, electronic result or not (for information). */
  readonly scanned: number;
  readonly electronicResults: number;
  readonly ratings: number;
  readonly complaints: number;
  readonly onTimeRate: number;
  readonly onlineRate: number;
  readonly onlinePaymentRate: number;
  readonly digitizationRate: number;
  readonly satisfactionRate: number;
  /** Mean working hours from acceptance to the end, over the dossiers finished by `asOf`. */
  readonly averageProcessingHours: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

const before = (iso: string | undefined, at: Date): iso is string =>
  iso !== undefined && Date.parse(iso) <= at.getTime();

/**
 * Whether an accepted dossier counts as late at `asOf` (portal formula 2.1): its sticky lateness
 * began before `asOf`, or it ended late by then, or it was still open and its clock running past
 * its deadline. A dossier still open at `asOf` is judged at `asOf`, whatever happened after.
 */
export function isLate(f: DossierFact, asOf: Date): boolean {
  if (!before(f.acceptedAt, asOf)) return false;
  let moment: string | undefined;
  if (f.lateSince) moment = f.lateSince;
  else if (f.supplementCount > 1) moment = f.acceptedAt;
  else if (f.endedAt) moment = f.dueAt && f.endedAt > f.dueAt ? f.dueAt : undefined;
  else if (!f.paused) moment = f.dueAt;
  return moment !== undefined && Date.parse(moment) < asOf.getTime();
}

/** The moment a period's dossiers are judged at: its end, or `now` while it still runs. */
export const judgedAt = (periodEnd: Date, now: Date): Date => (periodEnd.getTime() < now.getTime() ? periodEnd : now);

/**
 * The report of §5 over the facts of dossiers received in [from, to], judged at `asOf` (the
 * period's end, or now if earlier). Working hours come from the ward's calendar.
 */
export function computeReport(
  facts: readonly DossierFact[],
  scope: { ward: string; from: string; to: string; procedureId?: string },
  asOf: Date,
  cal: WorkingCalendar,
): Report {
  let judged = 0;
  let notAccepted = 0;
  let refusedAtIntake = 0;
  let onTime = 0;
  let overdue = 0;
  let early = 0;
  let inProgress = 0;
  let finished = 0;
  let online = 0;
  let receivedOnline = 0;
  let feeDossiers = 0;
  let paidOnline = 0;
  let digitized = 0;
  let scanned = 0;
  let electronicResults = 0;
  let ratings = 0;
  let complaints = 0;
  let processingHours = 0;
  for (const f of facts) {
    if (f.online) receivedOnline++;
    if (f.digitized) scanned++;
    if (f.electronicResult) electronicResults++;
    if (f.online && f.electronicResult) online++;
    if (f.digitized && f.electronicResult) digitized++;
    if (f.hasFee) {
      feeDossiers++;
      if (f.paidOnline) paidOnline++;
    }
    if (f.rating !== undefined) ratings++;
    if (f.complaint) complaints++;
    if (!before(f.acceptedAt, asOf)) {
      if (f.status === STATUS.REFUSED && before(f.endedAt, asOf)) refusedAtIntake++;
      else notAccepted++;
      continue;
    }
    judged++;
    const late = isLate(f, asOf);
    if (late) overdue++;
    else onTime++;
    if (before(f.endedAt, asOf)) {
      finished++;
      processingHours += workingHoursBetween(cal, new Date(f.acceptedAt), new Date(f.endedAt));
      if (!late && f.dueAt && Date.parse(f.dueAt) - Date.parse(f.endedAt) >= 24 * 3600_000) early++;
    } else inProgress++;
  }
  const received = facts.length;
  const lateRate = ratio(overdue, judged);
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
    onTimeRate: ratio(onTime, judged),
    onlineRate: ratio(online, received),
    onlinePaymentRate: ratio(paidOnline, feeDossiers),
    digitizationRate: ratio(digitized, received),
    satisfactionRate: received === 0 ? 0 : Math.max(0, Math.round((1 - lateRate - complaintRate) * 10_000) / 10_000),
    averageProcessingHours: finished === 0 ? 0 : Math.round((processingHours / finished) * 10) / 10,
    judged,
    notAccepted,
    refusedAtIntake,
    receivedOnline,
    scanned,
    electronicResults,
  };
}

/** The report as CSV (one header row, one value row), for spreadsheets; every cell neutralised. */
export function reportCsv(r: Report): string {
  const keys = Object.keys(r) as (keyof Report)[];
  return `${csvLine(keys)}${csvLine(keys.map((k) => r[k]))}`;
}
