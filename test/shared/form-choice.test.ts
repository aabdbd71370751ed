/** Which form a dossier has reached, and the register's period and paging (forms 01-07). */
import { describe, expect, it } from 'vitest';
import type { Dossier, HistoryEntry } from '../../shared/dossier.ts';
import { ValidationError } from '../../shared/errors.ts';
import { dossierRegister, formAvailable } from '../../shared/use-cases/forms.ts';
import { fixedClock } from './memory-ports.ts';

const now = new Date('2026-06-09T02:00:00.000Z');
const dossier = (over: Partial<Dossier>): Dossier => ({ status: 4, ...over }) as Dossier;
const went = (to: number): HistoryEntry => ({ to }) as HistoryEntry;

describe('Function: formAvailable', () => {
  it('gives the receipt (01) and the control slip (06) to every dossier', () => {
    expect(formAvailable('01', dossier({ status: 1 }), [], now)).toBe(true);
    expect(formAvailable('06', dossier({ status: 1 }), [], now)).toBe(true);
  });

  it('gives the supplement request (02) only once a supplement was asked', () => {
    expect(formAvailable('02', dossier({}), [went(2), went(4)], now)).toBe(false);
    expect(formAvailable('02', dossier({}), [went(2), went(4), went(5), went(4)], now)).toBe(true);
  });

  it('gives the refusal (03) only to a refused dossier and the stop notice (05) only to a stopped one', () => {
    expect(formAvailable('03', dossier({ status: 3 }), [], now)).toBe(true);
    expect(formAvailable('03', dossier({ status: 4 }), [], now)).toBe(false);
    expect(formAvailable('05', dossier({ status: 8 }), [], now)).toBe(true);
    expect(formAvailable('05', dossier({ status: 3 }), [], now)).toBe(false);
  });

  it('gives the apology (04) to an extended dossier', () => {
    const extension = { reason: 'Cần xác minh', newAppointmentAt: '2026-06-20T02:00:00.000Z' } as NonNullable<
      Dossier['extension']
    >;
    expect(formAvailable('04', dossier({ extension }), [], now)).toBe(true);
  });
});

describe('Use case: dossierRegister', () => {
  it('reads every page of the period, in Vietnam days, and judges the rows at its end', async () => {
    const asked: string[][] = [];
    const deps = {
      dossiers: {
        listReceived: async (ward: string, fromIso: string, toIso: string, opts: { cursor?: string }) => {
          asked.push([ward, fromIso, toIso, opts.cursor ?? '']);
          return opts.cursor ? { items: [] } : { items: [], next: 'page-2' };
        },
      },
      clock: fixedClock(now.toISOString()),
    };
    const out = await dossierRegister(deps, 'bimson', '2026-06-01', '2026-06-08');
    expect(out.rows).toEqual([]);
    expect(out.now).toEqual(now);
    expect(asked).toEqual([
      ['bimson', '2026-05-31T17:00:00.000Z', '2026-06-08T16:59:59.999Z', ''],
      ['bimson', '2026-05-31T17:00:00.000Z', '2026-06-08T16:59:59.999Z', 'page-2'],
    ]);
  });

  it('refuses a period longer than 400 days (INVALID_PERIOD) before listing anything', async () => {
    let reads = 0;
    const deps = {
      dossiers: {
        listReceived: async () => {
          reads++;
          return { items: [] };
        },
      },
      clock: fixedClock(now.toISOString()),
    };
    await expect(dossierRegister(deps, 'bimson', '2024-01-01', '2026-01-01')).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
    });
    await expect(dossierRegister(deps, 'bimson', '2024-01-01', '2026-01-01')).rejects.toBeInstanceOf(ValidationError);
    expect(reads).toBe(0);
  });
});
