import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { LUNAR_DATES, LUNAR_YEARS } from '#shared/lunar-dates.ts';

describe('Table: LUNAR_DATES', () => {
  it("matches date-holidays' Vietnamese lunar rules for every year it covers", () => {
    const vn = new Holidays('VN', { types: ['public'] });
    for (let y = LUNAR_YEARS.first; y <= LUNAR_YEARS.last; y++) {
      const list = vn.getHolidays(y);
      const tet = list.find((h) => h.rule === 'vietnamese 1-0-1')?.date.slice(5, 10);
      const hung = list.find((h) => h.rule === 'vietnamese 3-0-10')?.date.slice(5, 10);
      expect([y, ...(LUNAR_DATES[y] ?? [])]).toEqual([y, tet, hung]);
    }
  });

  it('has the dates DESIGN.md lists (Hồ Ngọc Đức algorithm)', () => {
    expect(LUNAR_DATES[2025]?.[0]).toBe('01-29');
    expect(LUNAR_DATES[2026]).toEqual(['02-17', '04-26']);
    expect(LUNAR_DATES[2027]?.[0]).toBe('02-06');
  });
});
