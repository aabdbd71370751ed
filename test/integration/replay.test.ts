import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs the replay tool as a user would (it starts its own runtime) and reads its last line. */
async function replay(scenarioFile: string): Promise<Record<string, number>> {
  const { stdout } = await run('npx', ['tsx', 'tools/replay.ts', '--scenario', scenarioFile, '--quiet'], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, number>;
}

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
