/**
 * Judgement by period (DESIGN.md §5b; portal formula 2.1): a dossier open at the period's end is
 * judged at that end; only accepted dossiers are judged; never-accepted and intake refusals are
 * counted apart; processing time is in working hours. Also 3.3 and 4.2 need an electronic result.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '#shared/calendar.ts';
import * as indicators from '#shared/indicators.ts';
import { computeReport, type DossierFact, reportCsv } from '#shared/indicators.ts';

const cal = defaultCalendar();
const fact = (over: Partial<DossierFact>): DossierFact => ({
  dossierId: Math.random().toString(36).slice(2),
  ward: 'bimson',
  procedureId: 'p',
  submittedAt: '2025-09-29T02:00:00.000Z',
  online: false,
  status: 4,
  version: 3,
  supplementCount: 0,
  hasFee: false,
  paidOnline: false,
  digitized: false,
  paused: false,
  complaint: false,
  ...over,
});
const scope = { ward: 'bimson', from: '2025-07-01', to: '2025-09-30' };
const periodEnd = new Date('2025-09-30T16:59:59.999Z'); // 30/9 24:00 in Hà Nội
const october = new Date('2025-10-20T03:00:00.000Z');
const report = (facts: DossierFact[], asOf: Date) =>
  (computeReport as (...a: unknown[]) => ReturnType<typeof computeReport>)(facts, scope, asOf, cal);

describe('Rule: a period is judged at its end', () => {
  // Accepted Monday 29/9, due Thursday 2/10: open on 30/9, still within its deadline then.
  const openAtEnd = fact({ acceptedAt: '2025-09-29T02:00:00.000Z', dueAt: '2025-10-02T02:00:00.000Z' });
  // The same, finished late in October (after the period).
  const finishedLateLater = fact({
    acceptedAt: '2025-09-29T02:00:00.000Z',
    dueAt: '2025-10-02T02:00:00.000Z',
    endedAt: '2025-10-10T02:00:00.000Z',
    status: 10,
  });

  it('gives the same figures for Q3 whether asked on 30/9 or in October', () => {
    const atEnd = report([openAtEnd, finishedLateLater], periodEnd);
    // What the route does: judge at min(now, period end).
    const inOctober = report([openAtEnd, finishedLateLater], indicators.judgedAt?.(periodEnd, october) ?? october);
    expect(inOctober).toEqual(atEnd);
    expect(atEnd).toMatchObject({ onTime: 2, overdue: 0, inProgress: 2, finished: 0 });
  });

  it('judges an open dossier past its deadline at the period end as late', () => {
    const late = fact({ acceptedAt: '2025-09-22T02:00:00.000Z', dueAt: '2025-09-25T02:00:00.000Z' });
    expect(report([late], periodEnd)).toMatchObject({ onTime: 0, overdue: 1, inProgress: 1 });
  });
});

describe('Rule: only accepted dossiers are judged', () => {
  it('counts never-accepted and intake refusals apart, and rates on time over the judged', () => {
    const facts = [
      fact({ status: 1, online: true, dueAt: '2025-09-01T02:00:00.000Z' }), // never accepted, intake deadline long passed
      fact({ status: 3, endedAt: '2025-09-29T03:00:00.000Z' }), // refused at the counter
      fact({
        acceptedAt: '2025-09-01T02:00:00.000Z',
        dueAt: '2025-09-03T02:00:00.000Z',
        endedAt: '2025-09-02T02:00:00.000Z',
        status: 10,
      }),
    ];
    const r = report(facts, periodEnd);
    expect(r).toMatchObject({ received: 3, judged: 1, notAccepted: 1, refusedAtIntake: 1, onTime: 1, overdue: 0 });
    expect(r.onTimeRate).toBe(1);
  });
});

describe('Rule: the average processing time counts working hours', () => {
  it('does not count the weekend between acceptance and the end', () => {
    // Friday 26/9 08:00 to Monday 29/9 08:00 (Hà Nội): 8 working hours, 72 wall-clock hours.
    const f = fact({
      acceptedAt: '2025-09-26T01:00:00.000Z',
      dueAt: '2025-10-01T01:00:00.000Z',
      endedAt: '2025-09-29T01:00:00.000Z',
      status: 9,
    });
    expect(report([f], periodEnd).averageProcessingHours).toBe(8);
  });
});

describe('Rule: online (3.3) and digitized (4.2) need an electronic result', () => {
  const done = {
    acceptedAt: '2025-09-01T02:00:00.000Z',
    dueAt: '2025-09-03T02:00:00.000Z',
    endedAt: '2025-09-02T02:00:00.000Z',
    status: 10,
  };
  it('does not count an online or scanned dossier without a signed result', () => {
    const r = report([fact({ ...done, online: true, digitized: true })], periodEnd);
    expect(r).toMatchObject({ online: 0, digitized: 0, onlineRate: 0, digitizationRate: 0 });
  });
  it('counts them with a signed result', () => {
    const r = report(
      [fact({ ...done, online: true, digitized: true, electronicResult: true } as DossierFact)],
      periodEnd,
    );
    expect(r).toMatchObject({ online: 1, digitized: 1, onlineRate: 1, digitizationRate: 1 });
  });
});

describe('Rule: a report CSV is safe in a spreadsheet', () => {
  it('neutralises a cell that starts like a formula', () => {
    const r = report([], periodEnd);
    const csv = reportCsv({ ...r, procedureId: '=HYPERLINK("http://x","y")' });
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});
