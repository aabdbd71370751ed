/**
 * The one retry helper for lost races and blips: conditional writes that collided (a counter, a
 * version, a payment's status), a portal that did not answer. Each caller states its policy (how
 * many tries, how long to wait, for how long at most) and which failures are worth another try.
 */

/** How a caller retries. */
interface RetryPolicy {
  /** Tries in all, the first included (`Infinity` with `maxElapsedMs`: retry until that runs out). */
  readonly attempts: number;
  /** The wait before try `n + 1` after try `n` failed (`n` from 0), in ms. */
  readonly delay: (n: number) => number;
  /** No try starts once this long (ms) has passed since the first: give up instead. */
  readonly maxElapsedMs?: number;
}

/**
 * Growing full jitter (AWS's "exponential backoff and jitter"): the `n`-th wait is drawn at random
 * from [0, min(capMs, baseMs * 2^min(n, maxExponent))), so racing writers spread out instead of
 * colliding again.
 */
export const fullJitter =
  (baseMs: number, capMs: number, maxExponent = 30, random: () => number = Math.random) =>
  (n: number): number =>
    random() * Math.min(capMs, baseMs * 2 ** Math.min(n, maxExponent));

/** Plain exponential backoff without jitter: `baseMs * 2^n`. */
export const exponential =
  (baseMs: number) =>
  (n: number): number =>
    baseMs * 2 ** n;

/** What a failure means: retry after the policy's wait, retry at once (`'now'`), or give up (false). */
type RetryVerdict = boolean | 'now';

interface RetryOptions {
  /** Whether a failure of try `n` is worth another try. */
  readonly retryIf: (error: unknown, n: number) => RetryVerdict;
  /** The error to throw when the tries run out on a retryable failure; the failure itself by default. */
  readonly exhausted?: (error: unknown) => unknown;
  /** Injected in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Calls `fn(n)` for n = 0, 1, ... until it returns, a failure is not retryable (it is thrown as
 * is), or the policy's tries or time run out (then `exhausted(failure)` is thrown).
 */
export async function retry<T>(fn: (n: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  for (let n = 0; ; n++) {
    try {
      return await fn(n);
    } catch (e) {
      const verdict = options.retryIf(e, n);
      if (verdict === false) throw e;
      const outOfTime = policy.maxElapsedMs !== undefined && now() - started >= policy.maxElapsedMs;
      if (n + 1 >= policy.attempts || outOfTime) throw options.exhausted ? options.exhausted(e) : e;
      if (verdict !== 'now') await sleep(policy.delay(n));
    }
  }
}
