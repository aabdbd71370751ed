import { describe, expect, it } from 'vitest';
import { replay } from '../helpers/replay.ts';

/**
 * The seed's quarter, replayed whole (`npm run test:seed`, about ten minutes on two cores): kept
 * out of `npm test`, which replays a quarter of another ward (test/integration/replay.test.ts);
 * `npm run bench` replays this one too and reports whether it matches.
 */
describe('Tool: replay of the seed', () => {
  it("reproduces the seed's quarter for Bỉm Sơn (Q3 2025): 2,796 received, 2,692 on time, 104 overdue", async () => {
    const r = await replay('scenarios/bim-son-2025-q3.json');
    expect(r).toMatchObject({
      from: '2025-07-01',
      to: '2025-09-30',
      received: 2796,
      onTime: 2692,
      overdue: 104,
      inProgress: 0,
    });
    expect(r.onlineRate).toBeCloseTo(0.922, 3);
    expect(r.onlinePaymentRate).toBeCloseTo(0.985, 3);
    expect(r.digitizationRate).toBeCloseTo(0.999, 3);
    for (const k of ['onlineRate', 'onlinePaymentRate', 'digitizationRate', 'satisfactionRate']) {
      expect(r[k]).toBeGreaterThanOrEqual(0);
      expect(r[k]).toBeLessThanOrEqual(1);
    }
  }, 1_200_000);
});
