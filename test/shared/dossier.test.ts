import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingHours, defaultCalendar, workingHoursBetween } from '#shared/calendar.ts';
import { assertTransition, type Dossier, isFinal, STATUS_CODES, type Status, TRANSITIONS } from '#shared/dossier.ts';
import { AppError } from '#shared/errors.ts';
import { applyTransition } from '#shared/transition.ts';

// DESIGN.md §5, written out independently of the table under test.
const LEGAL: Record<number, number[]> = {
  1: [2, 3, 5, 7],
  2: [4, 7],
  3: [],
  4: [5, 6, 7, 8, 9],
  5: [4, 7],
  6: [4, 9],
  7: [8],
  8: [],
  9: [10],
  10: [],
};
const WHO: Record<string, string[]> = {
  '1>2': ['receiver'],
  '1>3': ['receiver'],
  '1>5': ['receiver'],
  '2>4': ['receiver'],
  '5>4': ['receiver'],
  '7>8': ['receiver'],
  '9>10': ['receiver'],
  '4>5': ['specialist'],
  '4>6': ['specialist'],
  '4>8': ['specialist'],
  '4>9': ['leader'],
  '6>9': ['leader'],
  '6>4': ['system', 'receiver'],
  '1>7': ['owner'],
  '2>7': ['owner'],
  '4>7': ['owner'],
  '5>7': ['owner'],
};
const ACTORS = ['citizen', 'receiver', 'specialist', 'leader', 'admin', 'kiosk', 'owner', 'system'] as const;

const statusOf = (e: unknown) => (e instanceof AppError ? e.status : 0);
function outcome(from: Status, to: Status, actor: (typeof ACTORS)[number]): number {
  try {
    assertTransition(from, to, actor);
    return 200;
  } catch (e) {
    return statusOf(e);
  }
}

describe('Table: TRANSITIONS', () => {
  it('allows exactly the moves of the national portal, each to exactly its actors', () => {
    for (const from of STATUS_CODES) {
      for (const to of STATUS_CODES) {
        for (const actor of ACTORS) {
          const legal = LEGAL[from]?.includes(to);
          const allowed = WHO[`${from}>${to}`]?.includes(actor);
          const want = !legal ? 409 : allowed ? 200 : 403;
          expect([from, to, actor, outcome(from, to, actor)]).toEqual([from, to, actor, want]);
        }
      }
    }
  });

  it('lets nothing leave 3, 8 or 10', () => {
    expect(STATUS_CODES.filter(isFinal)).toEqual([3, 8, 10]);
    expect(Object.keys(TRANSITIONS[3])).toEqual([]);
  });
});

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
  durationHours: 24,
  fee: 0,
  submittedAt: '2026-01-05T01:00:00Z',
  pauses: [],
  supplementCount: 0,
  updatedAt: '2026-01-05T01:00:00Z',
  ...over,
});

describe('Function: applyTransition', () => {
  it('starts the clock at acceptance: the appointment is the duration in working hours after it', () => {
    const now = new Date('2026-01-05T02:00:00Z'); // Monday 09:00 in Hà Nội
    const next = applyTransition(base(), 2, cal, now, { catalogFee: 0 });
    expect(next.appointmentAt).toBe(addWorkingHours(cal, now, 24).toISOString());
    expect(next).toMatchObject({ status: 2, version: 2, acceptedAt: now.toISOString() });
  });

  it('pauses during a supplement and resumes with the hours that were left, whenever it resumes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 200 }), (h1, gapHours) => {
        const accepted = new Date('2026-03-02T01:00:00Z');
        let d = applyTransition(base({ status: 1 }), 2, cal, accepted, { catalogFee: 0 });
        d = applyTransition(d, 4, cal, accepted, { catalogFee: 0 });
        const pauseAt = addWorkingHours(cal, accepted, Math.min(h1, 23));
        const left = workingHoursBetween(cal, pauseAt, new Date(d.dueAt as string));
        d = applyTransition(d, 5, cal, pauseAt, { catalogFee: 0 });
        expect(d.pauses.at(-1)?.remainingHours).toBeCloseTo(left, 2);
        const resumeAt = new Date(pauseAt.getTime() + gapHours * 3600_000);
        d = applyTransition(d, 4, cal, resumeAt, { catalogFee: 0 });
        const expected = addWorkingHours(cal, resumeAt, d.pauses[0]?.remainingHours ?? 0);
        expect(d.dueAt).toBe(expected.toISOString());
        expect(d.supplementCount).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it('requires a positive fee for status 6 and takes the catalog fee by default', () => {
    const d = base({ status: 4, acceptedAt: '2026-01-05T01:00:00Z', dueAt: '2026-01-08T01:00:00Z' });
    expect(applyTransition(d, 6, cal, new Date('2026-01-05T03:00:00Z'), { catalogFee: 8000 }).feeDue).toBe(8000);
    expect(applyTransition(d, 6, cal, new Date('2026-01-05T03:00:00Z'), { catalogFee: 0, fee: 30000 }).feeDue).toBe(
      30000,
    );
    expect(() => applyTransition(d, 6, cal, new Date('2026-01-05T03:00:00Z'), { catalogFee: 0 })).toThrow(/phí/);
  });

  it('marks the end once: the first of done, returned, stopped or refused', () => {
    const d = base({ status: 4, acceptedAt: '2026-01-05T01:00:00Z', dueAt: '2026-01-08T01:00:00Z' });
    const done = applyTransition(d, 9, cal, new Date('2026-01-06T01:00:00Z'), { catalogFee: 0 });
    const returned = applyTransition(done, 10, cal, new Date('2026-01-09T01:00:00Z'), { catalogFee: 0 });
    expect(returned.endedAt).toBe('2026-01-06T01:00:00.000Z');
  });
});
