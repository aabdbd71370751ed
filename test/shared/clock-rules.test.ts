/**
 * The clock rules of DESIGN.md §5b (portal formula 2.1, Decree 61/2018 art. 18 as kept by
 * Decree 118/2025): when the clock stops, when it pauses, and that lateness sticks.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingHours, defaultCalendar } from '#shared/calendar.ts';
import { type Dossier, finishedOnTime, type Status } from '#shared/dossier.ts';
import { factOf, isLate } from '#shared/indicators.ts';
import { applyTransition } from '#shared/transition.ts';
import { isOverdue } from '#shared/use-cases/dossiers.ts';
import { decide } from '#shared/use-cases/sla.ts';

const cal = defaultCalendar();
const base = (over: Partial<Dossier> = {}): Dossier => ({
  id: 'd',
  code: 'X-20260105-0001',
  ward: 'bimson',
  procedureId: 'p',
  procedureName: 'P',
  channel: 'online',
  status: 1,
  version: 1,
  createdBy: 'c',
  applicant: { fullName: 'A', idNumber: '012345678901', phone: '0912345678' },
  components: [],
  durationHours: 16,
  fee: 0,
  submittedAt: '2026-03-02T01:00:00Z',
  pauses: [],
  supplementCount: 0,
  updatedAt: '2026-03-02T01:00:00Z',
  ...over,
});
const accepted = new Date('2026-03-02T01:00:00Z'); // Monday 08:00 in Hà Nội
const step = (d: Dossier, to: Status, at: Date, extra: { fee?: number; excludes?: boolean } = {}) =>
  applyTransition(d, to, cal, at, {
    catalogFee: 50_000,
    ...(extra.fee ? { fee: extra.fee } : {}),
    ...(extra.excludes === undefined ? {} : { excludesFinancialObligationTime: extra.excludes }),
  });
/** Accepted and processing, 16 working hours: due Wednesday 08:00. */
const processing = () => step(step(base(), 2, accepted), 4, accepted);
const hoursAfter = (from: Date | string, h: number) => addWorkingHours(cal, new Date(from), h);
const longAfter = (iso: string) => new Date(Date.parse(iso) + 30 * 24 * 3600_000);

describe('Rule: the clock stops at the withdrawal request (status 7)', () => {
  it('ends a withdrawn dossier: never overdue, no apology, judged on time at its end', () => {
    const d = step(processing(), 7, hoursAfter(accepted, 4));
    expect(d.endedAt).toBe(hoursAfter(accepted, 4).toISOString());
    const much = longAfter(d.dueAt as string);
    expect(isOverdue(d, much)).toBe(false);
    expect(decide(cal, d, much)).toBeUndefined();
    expect(finishedOnTime(d)).toBe(true);
    expect(isLate(factOf(d), much)).toBe(false);
    // The receiver's 7 -> 8 later keeps the first end.
    const stopped = step(d, 8, much);
    expect(stopped.endedAt).toBe(d.endedAt);
    expect(isOverdue(stopped, much)).toBe(false);
  });
});

describe('Rule: only the first supplement request pauses the clock', () => {
  it('pauses for the first and pushes the deadline by the time the citizen held it', () => {
    let d = step(processing(), 5, hoursAfter(accepted, 4));
    expect(isOverdue(d, longAfter(d.dueAt as string))).toBe(false);
    expect(decide(cal, d, longAfter(d.dueAt as string))).toBeUndefined();
    d = step(d, 4, hoursAfter(accepted, 40));
    expect(d.dueAt).toBe(hoursAfter(hoursAfter(accepted, 40), 12).toISOString());
    expect(isOverdue(d, hoursAfter(accepted, 41))).toBe(false);
  });

  it('makes the dossier late at a second request, before its deadline, and keeps its clock running', () => {
    let d = step(processing(), 5, hoursAfter(accepted, 2));
    d = step(d, 4, hoursAfter(accepted, 3));
    const second = hoursAfter(accepted, 5);
    d = step(d, 5, second);
    expect(d.supplementCount).toBe(2);
    expect(d.lateSince).toBe(second.toISOString());
    expect(d.pauses.at(-1)?.to).toBeDefined(); // no new open pause
    expect(isOverdue(d, hoursAfter(accepted, 6))).toBe(true);
    expect(decide(cal, d, hoursAfter(accepted, 6))?.kind).toBe('overdue');
    d = step(d, 4, hoursAfter(accepted, 7));
    expect(finishedOnTime(step(d, 9, hoursAfter(accepted, 8)))).toBe(false);
  });
});

describe('Rule: a fee being due (6) does not pause the clock unless the procedure excludes that time', () => {
  it('keeps the clock running while the fee is due, by default', () => {
    const d = step(processing(), 6, hoursAfter(accepted, 4));
    expect(d.pauses).toEqual([]);
    const after = hoursAfter(accepted, 17);
    expect(isOverdue(d, after)).toBe(true);
    expect(decide(cal, d, after)?.kind).toBe('overdue');
    const paid = step(d, 4, hoursAfter(accepted, 10));
    expect(paid.dueAt).toBe(processing().dueAt);
  });

  it('pauses while the fee is due where the procedure says its financial-obligation time is excluded', () => {
    let d = step(processing(), 6, hoursAfter(accepted, 4), { excludes: true });
    expect(isOverdue(d, hoursAfter(accepted, 30))).toBe(false);
    d = step(d, 4, hoursAfter(accepted, 30));
    expect(d.dueAt).toBe(hoursAfter(hoursAfter(accepted, 30), 12).toISOString());
  });
});

describe('Rule: lateness sticks', () => {
  it('a supplement asked after the deadline neither makes the dossier on time nor takes it off the overdue list', () => {
    let d = processing();
    const due = d.dueAt as string;
    const askedLate = hoursAfter(due, 3);
    d = step(d, 5, askedLate);
    expect(d.lateSince).toBe(due);
    expect(isOverdue(d, hoursAfter(due, 4))).toBe(true);
    expect(decide(cal, d, hoursAfter(due, 4))?.kind).toBe('overdue');
    d = step(d, 4, hoursAfter(due, 20));
    expect(d.dueAt).toBe(due); // the deadline was not pushed
    const done = step(d, 9, hoursAfter(due, 21));
    expect(finishedOnTime(done)).toBe(false);
    expect(isLate(factOf(done), longAfter(due))).toBe(true);
  });

  it('a late dossier withdrawn afterwards stays late', () => {
    const d = processing();
    const withdrawn = step(d, 7, hoursAfter(d.dueAt as string, 2));
    expect(finishedOnTime(withdrawn)).toBe(false);
    expect(isOverdue(withdrawn, longAfter(d.dueAt as string))).toBe(true);
    expect(decide(cal, withdrawn, longAfter(d.dueAt as string))).toBeUndefined(); // no apology after the end
  });
});
