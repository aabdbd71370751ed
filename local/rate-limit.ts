/**
 * The local stand-in for the WAF rate-based rule in front of the public guessing routes
 * (infra/edge.ts): at most `requests` per client IP in each window of `windowS`
 * seconds, all throttled routes together. Fixed windows, in memory: enough for one machine.
 */
interface RateLimiter {
  /** Counts one request of `ip`; false when it is over the limit (answer 429). */
  hit(ip: string, now?: number): boolean;
  /** Seconds until the current window ends. */
  retryAfterS(now?: number): number;
}

export function createRateLimiter(o: { readonly requests: number; readonly windowS: number }): RateLimiter {
  const windowMs = o.windowS * 1000;
  let windowStart = 0;
  let counts = new Map<string, number>();
  const roll = (now: number) => {
    const start = now - (now % windowMs);
    if (start !== windowStart) {
      windowStart = start;
      counts = new Map();
    }
  };
  return {
    hit(ip, now = Date.now()) {
      roll(now);
      const n = (counts.get(ip) ?? 0) + 1;
      counts.set(ip, n);
      return n <= o.requests;
    },
    retryAfterS(now = Date.now()) {
      roll(now);
      return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    },
  };
}
