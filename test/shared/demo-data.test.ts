import { describe, expect, it } from 'vitest';
import { demoCatalog } from '#local/demo-data.ts';
import { procedureInputSchema } from '#shared/catalog.ts';
import { SEED_WARDS } from '#shared/wards.ts';

const catalog = demoCatalog();
const ofWard = (ward: string) => catalog.filter((p) => p.input.ward === ward);

describe('demo catalog', () => {
  it('every entry passes the procedure schema unchanged', () => {
    for (const { id, input } of catalog) {
      const parsed = procedureInputSchema.safeParse(input);
      expect(parsed.success, `${id}: ${parsed.error?.message ?? ''}`).toBe(true);
      expect(parsed.data).toEqual(input);
    }
  });

  it('has unique ids made of the ward prefix and a slug', () => {
    const ids = catalog.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { id, input } of catalog) {
      expect(id).toMatch(/^[a-z0-9-]+$/);
      expect(id.startsWith(`${input.ward}-`)).toBe(true);
    }
  });

  it('covers both wards, and only known wards and kiosk groups', () => {
    const wardIds = new Set(SEED_WARDS.map((w) => w.id));
    expect(new Set(catalog.map((p) => p.input.ward))).toEqual(new Set(['bimson', 'quangtrung']));
    for (const { input } of catalog) {
      expect(wardIds.has(input.ward)).toBe(true);
      const groups = SEED_WARDS.find((w) => w.id === input.ward)?.points.flatMap((pt) => pt.groups.map((g) => g.id));
      expect(groups).toContain(input.group);
    }
    expect(ofWard('quangtrung').length).toBeGreaterThanOrEqual(5);
  });

  it('gives bimson a realistic catalog', () => {
    const bimson = ofWard('bimson');
    expect(bimson.length).toBeGreaterThanOrEqual(12);
    expect(bimson.filter((p) => p.input.fee > 0).length).toBeGreaterThanOrEqual(5);
    expect(bimson.filter((p) => p.input.channels.includes('full-online')).length).toBeGreaterThanOrEqual(3);
    for (const { id, input } of bimson) {
      expect(input.documents.length, id).toBeGreaterThanOrEqual(1);
      expect(input.documents.length, id).toBeLessThanOrEqual(5);
      expect(new Set(input.documents.map((d) => d.id)).size, id).toBe(input.documents.length);
      expect(input.agency).toBe('UBND phường Bỉm Sơn');
    }
  });

  it('includes the burial allowance (mai táng) and the everyday civil status procedures', () => {
    const bimson = ofWard('bimson');
    const burial = bimson.find((p) => p.input.name.toLowerCase().includes('mai táng'));
    expect(burial?.input.group).toBe('xahoi');
    expect(burial?.input.fee).toBe(0);
    const birth = bimson.find((p) => p.input.nationalCode === '1.001193');
    expect(birth?.input.fee).toBe(0);
    expect(birth?.input.channels).toContain('full-online');
    expect(ofWard('quangtrung').some((p) => p.input.name.toLowerCase().includes('mai táng'))).toBe(true);
  });

  it('returns fresh objects on every call', () => {
    const a = demoCatalog();
    a[0]?.input.documents.pop();
    expect(demoCatalog()).toEqual(catalog);
  });
});
