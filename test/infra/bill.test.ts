import { describe, expect, it } from 'vitest';
import { citizenMau, countTemplates, monthlyBill, type TemplateCounts } from '../../bench/lib/bill.ts';
import { PRICES } from '../../bench/lib/prices.ts';
import { synth } from './helpers.ts';

const counts: TemplateCounts = {
  alarms: 10,
  kmsKeys: 1,
  secrets: 2,
  polledQueues: 4,
  schedules: [{ name: 'sla-watch', everyMinutes: 15 }],
  wafWebAcls: 0,
  wafRules: 0,
  citizenSignIn: 'cognito-federation',
};
const input = { perDossierUSD: 0.0001, scheduleRunUSD: { 'sla-watch': 0.00001 }, apiRequestsPerDossier: 12, counts };
const line = (b: ReturnType<typeof monthlyBill>, prefix: string) => b.lines.find((l) => l.line.startsWith(prefix));

describe('Bench: the monthly bill', () => {
  it('counts the fixed resources the synthesized templates really hold', () => {
    const s = synth();
    const templates = [s.apiTemplate.toJSON(), s.statefulTemplate.toJSON()];
    const c = countTemplates(templates, []);
    const n = (type: string) =>
      Object.keys(s.apiTemplate.findResources(type)).length +
      Object.keys(s.statefulTemplate.findResources(type)).length;
    expect(c.alarms).toBe(n('AWS::CloudWatch::Alarm'));
    expect(c.kmsKeys).toBe(n('AWS::KMS::Key'));
    expect(c.secrets).toBe(n('AWS::SecretsManager::Secret'));
    expect(c.alarms).toBeGreaterThan(0);
  });

  it('bills federated citizens past the free 50 per account, and nothing when tokens are verified directly', () => {
    const viaCognito = monthlyBill({ ...input, wards: 1 });
    expect(line(viaCognito, 'citizens')?.monthUSD).toBeCloseTo(
      (citizenMau(1) - 50) * PRICES.cognitoFederatedMau.usd,
      3,
    );
    const direct = monthlyBill({ ...input, counts: { ...counts, citizenSignIn: 'direct-jwt' }, wards: 1 });
    expect(line(direct, 'citizens')?.monthUSD).toBe(0);
    expect(direct.monthUSD).toBeLessThan(viaCognito.monthUSD);
  });

  it('shares the fixed lines between the wards of one deployment and scales the per-dossier lines', () => {
    const one = monthlyBill({ ...input, wards: 1 });
    const many = monthlyBill({ ...input, wards: 166 });
    expect(line(many, 'dossiers')?.monthUSD).toBeCloseTo((line(one, 'dossiers')?.monthUSD ?? 0) * 166, 1);
    expect(line(many, 'KMS')?.monthUSD).toBe(line(one, 'KMS')?.monthUSD);
    expect(line(many, 'CloudWatch alarms')?.monthUSD).toBe(10 * PRICES.alarmMonth.usd);
    expect(many.perWardMonthUSD).toBeCloseTo(many.monthUSD / 166, 2);
    expect(many.monthUSD).toBeCloseTo(
      many.lines.reduce((s, l) => s + l.monthUSD, 0),
      1,
    );
  });
});
