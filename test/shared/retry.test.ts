import { describe, expect, it } from 'vitest';
import { exponential, fullJitter, retry } from '../../shared/retry.ts';

const noSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe('Function: retry', () => {
  it('returns the first success, waiting the policy’s delay between tries', async () => {
    const { waits, sleep } = noSleep();
    let calls = 0;
    const out = await retry(
      async (n) => {
        calls++;
        if (n < 2) throw new Error('busy');
        return 'ok';
      },
      { attempts: 5, delay: exponential(20) },
      { retryIf: () => true, sleep },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([20, 40]);
  });

  it('throws a failure that is not retryable at once, as it is', async () => {
    const boom = new Error('boom');
    const { waits, sleep } = noSleep();
    await expect(
      retry(
        async () => {
          throw boom;
        },
        { attempts: 5, delay: () => 1 },
        { retryIf: () => false, sleep },
      ),
    ).rejects.toBe(boom);
    expect(waits).toEqual([]);
  });

  it('gives up after the policy’s tries with the exhausted error, without a last wait', async () => {
    const { waits, sleep } = noSleep();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('busy');
        },
        { attempts: 3, delay: () => 7 },
        { retryIf: () => true, exhausted: () => new Error('gave up'), sleep },
      ),
    ).rejects.toThrow('gave up');
    expect(calls).toBe(3);
    expect(waits).toEqual([7, 7]);
  });

  it('retries at once when the predicate says now', async () => {
    const { waits, sleep } = noSleep();
    await retry(
      async (n) => {
        if (n === 0) throw new Error('collision');
      },
      { attempts: 2, delay: () => 50 },
      { retryIf: () => 'now', sleep },
    );
    expect(waits).toEqual([]);
  });

  it('stops once the policy’s time has run out, whatever the tries left', async () => {
    let t = 0;
    const { sleep } = noSleep();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          t += 3000;
          throw new Error('busy');
        },
        { attempts: Number.POSITIVE_INFINITY, maxElapsedMs: 7000, delay: () => 0 },
        { retryIf: () => true, sleep, now: () => t },
      ),
    ).rejects.toThrow('busy');
    expect(calls).toBe(3);
  });
});

describe('Function: fullJitter', () => {
  it('draws each wait below a growing bound, capped', () => {
    const top = fullJitter(10, 250, 30, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5].map((n) => Math.round(top(n)))).toEqual([10, 20, 40, 80, 160, 250]);
    expect(fullJitter(10, 250, 30, () => 0)(4)).toBe(0);
    expect(Math.round(fullJitter(5, 1000, 2, () => 0.999999)(10))).toBe(20);
  });
});
