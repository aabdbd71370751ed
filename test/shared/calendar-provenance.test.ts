/** Calendar provenance (DESIGN.md §5b): announced or derived years; dates outside the computable years are 422. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth.ts';
import { addWorkingHours, defaultCalendar } from '#shared/calendar.ts';
import { listDossiers, submitDossier } from '#shared/use-cases/dossiers.ts';
import {
  applicant,
  fixedClock,
  MemoryDossiers,
  memoryCalendars,
  memoryCatalog,
  memoryWards,
  procedure,
} from './memory-ports.ts';

const receiver: Principal = { sub: 'r1', role: 'receiver', ward: 'bimson' };

describe('Rule: each year says where it comes from', () => {
  it('calls 2026 announced with its decision, and 2027 and 2030 derived (provisional)', async () => {
    const mod = (await import('#shared/calendar-provenance.ts').catch(() => ({}))) as {
      yearProvenance?: (cal: unknown, y: number) => { provenance: string; decision?: string };
    };
    expect(mod.yearProvenance).toBeTypeOf('function');
    const cal = defaultCalendar();
    expect(mod.yearProvenance?.(cal, 2026)).toMatchObject({
      provenance: 'announced',
      decision: expect.stringMatching(/9441\/TB-BNV/),
    });
    expect(mod.yearProvenance?.(cal, 2027)).toMatchObject({ provenance: 'derived' });
    expect(mod.yearProvenance?.(cal, 2030)).toMatchObject({ provenance: 'derived' });
  });

  it('flags a counter appointment that falls in a derived year as provisional', async () => {
    const deps = {
      dossiers: new MemoryDossiers(),
      catalog: memoryCatalog([procedure({ durationDays: 5 })]),
      calendars: memoryCalendars(),
      wards: memoryWards(),
      clock: fixedClock('2026-12-30T02:00:00Z'),
    };
    const d = await submitDossier(deps, receiver, {
      ward: 'bimson',
      procedureId: 'thu-tuc',
      channel: 'counter',
      applicant,
    });
    expect(d.appointmentAt?.startsWith('2027-')).toBe(true);
    expect(d.appointmentProvisional).toBe(true);
  });
});

describe('Rule: a date outside the computable years is a 422', () => {
  const deps = () => ({
    dossiers: new MemoryDossiers(),
    catalog: memoryCatalog([procedure()]),
    calendars: memoryCalendars(),
    wards: memoryWards(),
    clock: fixedClock('1995-06-01T02:00:00Z'),
  });
  it('refuses a submission with the clock in 1995 with 422, not a crash', async () => {
    await expect(
      submitDossier(deps(), receiver, { ward: 'bimson', procedureId: 'thu-tuc', channel: 'counter', applicant }),
    ).rejects.toMatchObject({ status: 422, code: 'DATE_OUT_OF_CALENDAR' });
  });
  it('refuses a dueSoon list in 1995 with 422', async () => {
    await expect(listDossiers(deps(), receiver, { limit: 10, dueSoon: true })).rejects.toMatchObject({ status: 422 });
  });
  it('answers 422 from the arithmetic itself for a year without lunar dates', () => {
    expect(() => addWorkingHours(defaultCalendar(), new Date('2099-03-02T02:00:00Z'), 8)).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });
});
