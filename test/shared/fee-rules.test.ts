/** Fee rules and the law's units of duration (DESIGN.md §5b). */
import { describe, expect, it } from 'vitest';
import { demoCatalog } from '#local/demo-data.ts';
import type { Principal } from '#shared/auth.ts';
import { procedureInputSchema } from '#shared/catalog.ts';
import { submitDossier } from '#shared/use-cases/dossiers.ts';
import { applicant, memoryDeps, procedure } from './memory-ports.ts';

const receiver: Principal = { sub: 'r1', role: 'receiver', ward: 'bimson' };
const certified = { kind: 'per-page', firstPages: 2, firstPagePrice: 2_000, nextPagePrice: 1_000, maxPerCopy: 200_000 };

async function submitWith(over: Record<string, unknown>, input: Record<string, unknown> = {}) {
  const p = procedure(over as never);
  const deps = memoryDeps({ procedures: [p], now: '2026-03-02T02:00:00Z' });
  return submitDossier(deps, receiver, {
    ward: 'bimson',
    procedureId: 'thu-tuc',
    channel: 'counter',
    applicant,
    ...input,
  } as never);
}

describe('Rule: certified copies are charged per page', () => {
  it.each([
    [1, 1, 2_000],
    [2, 1, 4_000],
    [5, 1, 7_000], // 2 x 2,000 + 3 x 1,000
    [5, 3, 21_000],
    [500, 1, 200_000], // capped per copy
    [500, 2, 400_000],
  ])('%i pages x %i copies = %i đ, kept on the dossier with its inputs', async (pages, copies, amount) => {
    const d = await submitWith({ fee: 2_000, feeRule: certified }, { feeInputs: { pages, copies } });
    expect(d.fee).toBe(amount);
    expect(d.feeInputs).toEqual({ pages, copies });
  });

  it('lets the catalog hold the rule, and ships it for the certified-copy procedure', () => {
    const input = {
      name: 'Chứng thực bản sao',
      field: 'Chứng thực',
      channels: ['counter'],
      durationDays: 1,
      fee: 2_000,
      feeRule: certified,
    };
    expect(procedureInputSchema.parse(input).feeRule).toEqual(certified);
    const entry = demoCatalog().find((p) => p.id.includes('chung-thuc-ban-sao-tu-ban-chinh'));
    expect((entry?.input as { feeRule?: unknown } | undefined)?.feeRule).toEqual(certified);
  });
});

describe("Rule: durations are in the law's units", () => {
  it('counts a calendar-day deadline in days, not working days', async () => {
    const d = await submitWith({ durationDays: 15, durationUnit: 'calendar-days' });
    // Monday 2/3/2026 09:00 + 15 days = Tuesday 17/3/2026 09:00 (working time).
    expect(d.appointmentAt).toBe('2026-03-17T02:00:00.000Z');
  });

  it('marks building permits and land mediation in calendar days in the catalog', () => {
    const units = Object.fromEntries(
      demoCatalog().map((p) => [p.id.replace(/^[a-z]+-/, ''), (p.input as { durationUnit?: string }).durationUnit]),
    );
    const find = (part: string) => Object.entries(units).find(([k]) => k.includes(part))?.[1];
    expect(find('cap-giay-phep-xay-dung')).toBe('calendar-days');
    expect(find('hoa-giai-tranh-chap-dat-dai')).toBe('calendar-days');
  });
});
