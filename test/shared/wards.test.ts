import { describe, expect, it } from 'vitest';
import type { DossierFact } from '#shared/indicators.ts';
import { residentialGroupCsv, residentialGroupRows } from '#shared/residential-report.ts';
import { copiedProcedureId } from '#shared/use-cases/wards.ts';
import { wardFromInput, wardInputSchema } from '#shared/ward-directory.ts';
import { DEFAULT_SERVICE_GROUPS, SEED_WARDS } from '#shared/wards.ts';

const fact = (over: Partial<DossierFact>): DossierFact => ({
  dossierId: crypto.randomUUID(),
  ward: 'bimson',
  procedureId: 'p',
  submittedAt: '2026-06-09T01:00:00.000Z',
  online: true,
  status: 1,
  version: 1,
  supplementCount: 0,
  hasFee: false,
  paidOnline: false,
  digitized: false,
  paused: false,
  complaint: false,
  ...over,
});

describe('Function: residentialGroupRows', () => {
  const groups = [
    { id: 'tdp-01', name: 'Tổ 1' },
    { id: 'tdp-02', name: 'Tổ 2' },
  ];

  it('counts received, assisted and the online rate per group, zeros included, in the ward’s order', () => {
    const rows = residentialGroupRows(
      [
        fact({ residentialGroup: 'tdp-02', assisted: true }),
        fact({ residentialGroup: 'tdp-02', online: false }),
        fact({ residentialGroup: 'tdp-02' }),
      ],
      groups,
    );
    expect(rows).toEqual([
      { residentialGroup: 'tdp-01', name: 'Tổ 1', received: 0, assisted: 0, online: 0, onlineRate: 0 },
      { residentialGroup: 'tdp-02', name: 'Tổ 2', received: 3, assisted: 1, online: 2, onlineRate: 0.6667 },
    ]);
  });

  it('keeps dossiers of a group no longer listed, and those without a group, in rows of their own', () => {
    const rows = residentialGroupRows([fact({ residentialGroup: 'old' }), fact({})], groups);
    expect(rows.map((r) => [r.residentialGroup, r.received])).toEqual([
      ['tdp-01', 0],
      ['tdp-02', 0],
      ['old', 1],
      [null, 1],
    ]);
    expect(residentialGroupCsv(rows).split('\n')[4]).toBe(',Chưa rõ tổ dân phố,1,0,1,1');
  });
});

describe('Ward input', () => {
  const input = wardInputSchema.parse({
    name: 'Phường Đông Sơn',
    unitCode: 'H56.27.09',
    points: [{ id: 'tt', name: 'Trung tâm', counters: ['q1'] }],
  });

  it('fills the defaults of a new ward and keeps what a change leaves out', () => {
    const created = wardFromInput('dongson', input, undefined, '2026-01-01T00:00:00.000Z');
    expect(created).toMatchObject({ id: 'dongson', version: 1, residentialGroups: [] });
    expect(created.points[0]?.groups).toEqual(DEFAULT_SERVICE_GROUPS);
    const withGroups = { ...created, residentialGroups: [{ id: 'a', name: 'A' }] };
    const changed = wardFromInput('dongson', { ...input, name: 'Mới' }, withGroups, '2026-01-02T00:00:00.000Z');
    expect(changed).toMatchObject({ name: 'Mới', version: 2, residentialGroups: [{ id: 'a', name: 'A' }] });
  });

  it('refuses a counter in two points and duplicate groups', () => {
    const twice = wardInputSchema.safeParse({
      ...input,
      points: [
        { id: 'a', name: 'A', counters: ['q1'] },
        { id: 'b', name: 'B', counters: ['q1'] },
      ],
    });
    expect(twice.success).toBe(false);
    const dup = wardInputSchema.safeParse({
      ...input,
      residentialGroups: [
        { id: 'x', name: 'X' },
        { id: 'x', name: 'Y' },
      ],
    });
    expect(dup.success).toBe(false);
  });

  it('re-prefixes copied procedure ids with the new ward', () => {
    expect(copiedProcedureId('bimson', 'dongson', 'bimson-dang-ky-khai-sinh')).toBe('dongson-dang-ky-khai-sinh');
    expect(copiedProcedureId('bimson', 'dongson', 'custom-id')).toBe('dongson-custom-id');
  });

  it('seeds Bỉm Sơn with 35 residential groups and Quang Trung with its own', () => {
    const [bim, qt] = SEED_WARDS;
    expect(bim?.residentialGroups).toHaveLength(35);
    expect(new Set(bim?.residentialGroups?.map((g) => g.id)).size).toBe(35);
    expect(qt?.residentialGroups?.length).toBeGreaterThan(0);
  });
});
