import { describe, expect, it } from 'vitest';
import { cachedLookup } from '#functions/lib/ttl-cache.ts';

describe('cachedLookup', () => {
  it('reads each id once within its time, again after it, and never keeps a failed read', async () => {
    let now = 1_000;
    const reads: string[] = [];
    let failNext = false;
    const lookup = cachedLookup(
      async (id: string) => {
        reads.push(id);
        if (failNext) {
          failNext = false;
          throw new Error('unavailable');
        }
        return `${id}@${now}`;
      },
      60_000,
      () => now,
    );
    expect(await lookup.get('a')).toBe('a@1000');
    expect(await Promise.all([lookup.get('a'), lookup.get('a')])).toEqual(['a@1000', 'a@1000']);
    expect(await lookup.get('b')).toBe('b@1000');
    expect(reads).toEqual(['a', 'b']);
    now += 60_001;
    expect(await lookup.get('a')).toBe('a@61001');
    expect(reads).toEqual(['a', 'b', 'a']);
    failNext = true;
    await expect(lookup.get('c')).rejects.toThrow('unavailable');
    expect(await lookup.get('c')).toBe('c@61001');
    expect(reads).toEqual(['a', 'b', 'a', 'c', 'c']);
  });
});
