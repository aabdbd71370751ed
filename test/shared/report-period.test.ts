/** The period rule of the reports and the register, and the report judged at the period's end. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.ts';
import type { DossierFact } from '../../shared/indicators.ts';
import { period, periodReport } from '../../shared/use-cases/reports.ts';
import { fixedClock, memoryCalendars, memoryWards } from './memory-ports.ts';

describe('Function: period', () => {
  it('spans from 00:00 of the first day to the last millisecond of the last, in Vietnam time', () => {
    expect(period('2026-06-01', '2026-06-30')).toEqual({
      fromIso: '2026-05-31T17:00:00.000Z',
      toIso: '2026-06-30T16:59:59.999Z',
    });
    expect(period('2026-06-09', '2026-06-09').toIso).toBe('2026-06-09T16:59:59.999Z');
  });

  it('takes 400 days and refuses 401, a reversed period and a malformed day (INVALID_PERIOD)', () => {
    expect(() => period('2025-01-01', '2026-02-04')).not.toThrow();
    for (const [from, to] of [
      ['2025-01-01', '2026-02-05'],
      ['2026-06-09', '2026-06-08'],
      ['2026-13-01', '2026-06-08'],
    ] as const) {
      expect(() => period(from, to)).toThrow(ValidationError);
      try {
        period(from, to);
      } catch (e) {
        expect((e as ValidationError).code).toBe('INVALID_PERIOD');
      }
    }
  });
});

describe('Use case: periodReport', () => {
  const fact = (over: Partial<DossierFact>): DossierFact => ({
    dossierId: 'd1',
    ward: 'bimson',
    procedureId: 'p',
    submittedAt: '2026-06-02T02:00:00.000Z',
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

  it('reads the facts of the period and adds the residential groups only when asked', async () => {
    const asked: unknown[] = [];
    const deps = {
      facts: {
        received: async (...args: unknown[]) => {
          asked.push(args);
          return [fact({})];
        },
      },
      queueStats: { days: async () => [] },
      calendars: memoryCalendars(),
      clock: fixedClock('2026-07-15T02:00:00.000Z'),
      wards: memoryWards(),
    };
    const plain = await periodReport(deps, 'bimson', { from: '2026-06-01', to: '2026-06-30', procedureId: 'p' });
    expect(asked).toEqual([['bimson', '2026-05-31T17:00:00.000Z', '2026-06-30T16:59:59.999Z', 'p']]);
    expect(plain.report).toMatchObject({ ward: 'bimson', from: '2026-06-01', to: '2026-06-30', procedureId: 'p' });
    expect(plain.residentialGroups).toBeUndefined();
    const byGroup = await periodReport(deps, 'bimson', {
      from: '2026-06-01',
      to: '2026-06-30',
      by: 'residentialGroup',
    });
    expect(Array.isArray(byGroup.residentialGroups)).toBe(true);
  });

  it('refuses a period longer than 400 days before reading anything', async () => {
    let reads = 0;
    const deps = {
      facts: {
        received: async () => {
          reads++;
          return [];
        },
      },
      queueStats: { days: async () => [] },
      calendars: memoryCalendars(),
      clock: fixedClock('2026-07-15T02:00:00.000Z'),
      wards: memoryWards(),
    };
    await expect(periodReport(deps, 'bimson', { from: '2024-01-01', to: '2026-01-01' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(reads).toBe(0);
  });
});
