/**
 * Vietnam time (Asia/Ho_Chi_Minh): UTC+7 all year, without daylight saving since 1975, so a fixed
 * offset is exact and nothing depends on the host's time zone. The one place the offset is written.
 */

/** Asia/Ho_Chi_Minh's offset from UTC, in milliseconds. */
export const VN_OFFSET_MS = 7 * 3_600_000;

/** An instant: a Date, epoch milliseconds, or an ISO string. */
type Instant = Date | number | string;

const msOf = (at: Instant): number =>
  typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();

/**
 * Vietnam's wall clock at an instant, as the UTC fields of a shifted Date (`getUTCHours()` is the
 * local hour). An Invalid Date for an unparsable input.
 */
export const vnClock = (at: Instant): Date => new Date(msOf(at) + VN_OFFSET_MS);

/** The local calendar date of an instant, `YYYY-MM-DD`; a RangeError for an invalid one. */
export const vnDate = (at: Instant): string => vnClock(at).toISOString().slice(0, 10);

/** The local year of an instant (NaN for an invalid one). */
export const vnYear = (at: Instant): number => vnClock(at).getUTCFullYear();

/** The instant (epoch ms) a local calendar day `YYYY-MM-DD` begins; NaN for an unparsable day. */
export const vnDayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS;
