import { describe, expect, it } from 'vitest';
import { bundleWhy } from '../../bench/lib/verdicts.ts';

const floors = {
  sdk: { bytes: 190_000, loadMs: 23.5, loadMsMin: 23 },
  handler: { bytes: 215_000, loadMs: 26.5, loadMsMin: 26 },
  zodMini: { bytes: 18_000, loadMs: 5.5, loadMsMin: 5.2 },
};
const targets = { bytes: 250_000, loadMs: 30 };

describe('Bench: why the bundles miss', () => {
  it('projects each missing function with zod/mini in place of its zod, and names those that would still miss', () => {
    const bundles = {
      catalog: { bytes: 380_000, zodBytes: 93_000 },
      lookup: { bytes: 320_000, zodBytes: 90_000 },
      notifier: { bytes: 358_000, zodBytes: 0 },
      sla: { bytes: 240_000, zodBytes: 0 },
    };
    const w = bundleWhy(floors, bundles, ['catalog', 'lookup', 'notifier'], targets);
    expect(w.projection.ifZodMini).toEqual({ lookup: 248_000, catalog: 305_000 });
    expect(w.projection.stillMissedWithZodMini).toEqual(['catalog']);
    expect(w.projection.handlerFloorBytes).toBe(215_000);
    expect(w.bundleSize).toContain('35000 bytes are left');
    expect(w.bundleSize).toContain('1 of those 2 would still miss (the lightest catalog, 305000 bytes)');
    expect(w.bundleSize).toContain('and lookup would come under it');
    expect(w.bundleSize).toContain('notifier bundle no zod');
  });

  it('says when the handler alone loads past the target, and what is left when it does not', () => {
    expect(bundleWhy(floors, {}, [], targets).loadTime).toContain('4 ms are left');
    const slow = { ...floors, handler: { bytes: 215_000, loadMs: 31, loadMsMin: 30.5 } };
    expect(bundleWhy(slow, {}, [], targets).loadTime).toContain("below this machine's floor");
  });
});
