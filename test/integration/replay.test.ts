import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../helpers/replay.ts';

/**
 * The suite replays once: another ward and period than the seed's, so that the rule is tried and
 * not the example. The seed's own quarter (2,796 dossiers, minutes) is `npm run test:seed`
 * (test/replay/) and the bench's replay phase, which checks the same figures.
 */

describe('Tool: replay', () => {
  it('plays another ward and period (Q1 2026, across Tết) and reports exactly the scenario, out of the events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-scenario-'));
    const file = join(dir, 'quangtrung-2026-q1.json');
    const scenario = {
      ward: 'quangtrung',
      from: '2026-01-01',
      to: '2026-03-31',
      received: 150,
      onTime: 137,
      overdue: 13,
      onlineRate: 0.7,
      onlinePaymentRate: 0.5,
      digitizationRate: 0.8,
      seed: 42,
    };
    writeFileSync(file, JSON.stringify(scenario));
    const r = await replay(file);
    expect(r).toMatchObject({
      from: scenario.from,
      to: scenario.to,
      received: 150,
      onTime: 137,
      overdue: 13,
      inProgress: 0,
    });
    expect(r.online).toBe(105);
    expect(r.onlineRate).toBeCloseTo(0.7, 4);
    expect(r.paidOnline).toBe(Math.round(0.5 * (r.feeDossiers ?? 0)));
    expect(r.digitized).toBe(120);
    expect(r.satisfactionRate).toBeGreaterThan(0);
  }, 600_000);
});
