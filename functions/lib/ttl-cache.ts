/**
 * A lookup kept for a while in the container: reference data read once per record would cost a
 * round trip per record (a procedure's name, a ward's center) for an answer that changes rarely.
 * A failed read is not kept.
 */
export function cachedLookup<T>(
  get: (id: string) => Promise<T>,
  ttlMs: number,
  now: () => number = Date.now,
): { get(id: string): Promise<T> } {
  const kept = new Map<string, { readonly until: number; readonly value: Promise<T> }>();
  return {
    get(id) {
      const hit = kept.get(id);
      if (hit && hit.until > now()) return hit.value;
      const value = get(id);
      kept.set(id, { until: now() + ttlMs, value });
      value.catch(() => {
        if (kept.get(id)?.value === value) kept.delete(id);
      });
      return value;
    },
  };
}
