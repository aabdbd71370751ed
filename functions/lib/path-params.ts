/**
 * The path parameters `httpApi` checks before a route runs: one rule per parameter name, whatever
 * the route. A malformed id cannot name anything the caller may see, so it gets the same answer as
 * an unknown one (404), except where the route creates what the id names (the catalog upsert: 400).
 * Parameters not listed here (a form file name, a counter action, a dossier code, an asset) are
 * read by their route, which knows what they mean.
 */
import { isDossierId } from '#shared/dossier.ts';
import { type AppError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { SLUG } from '#shared/ids.ts';
import { LUNAR_YEARS } from '#shared/lunar-dates.ts';
import type { HttpMethod } from '#wiring/manifest.ts';

interface PathParamRule {
  readonly valid: (value: string) => boolean;
  /** The error a malformed value gets, on a route of this method. */
  readonly invalid: (method: HttpMethod) => AppError;
}

/** The rule of the `slug` schema (shared/api/zod.ts), without loading zod into every API function. */
const isSlug = (v: string): boolean => SLUG.test(v);

/** A calendar year the working calendar knows (the lunar holidays are tabulated for these). */
const isCalendarYear = (v: string): boolean => {
  const y = Number(v);
  return Number.isInteger(y) && y >= LUNAR_YEARS.first && y <= LUNAR_YEARS.last;
};

const PATH_PARAMS: { readonly [name: string]: PathParamRule } = {
  dossierId: { valid: isDossierId, invalid: () => new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND') },
  componentId: { valid: isSlug, invalid: () => new NotFoundError('Thành phần hồ sơ', 'COMPONENT_NOT_FOUND') },
  procedureId: {
    valid: isSlug,
    invalid: (method) =>
      method === 'PUT'
        ? new ValidationError('Mã thủ tục không hợp lệ.', undefined, 'INVALID_PROCEDURE_ID')
        : new NotFoundError('Thủ tục', 'PROCEDURE_NOT_FOUND'),
  },
  appointmentId: { valid: isSlug, invalid: () => new NotFoundError('Lịch hẹn', 'APPOINTMENT_NOT_FOUND') },
  counterId: { valid: isSlug, invalid: () => new NotFoundError('Quầy', 'COUNTER_NOT_FOUND') },
  year: {
    valid: isCalendarYear,
    invalid: () =>
      new ValidationError(`Năm không hợp lệ (${LUNAR_YEARS.first}-${LUNAR_YEARS.last}).`, undefined, 'INVALID_YEAR'),
  },
};

/**
 * The route's path parameters, each checked by its rule, in the order of the path. API Gateway
 * gives every `{name}` of the route a value; a missing one is read as empty (and fails its rule).
 */
export function checkedParams(
  method: HttpMethod,
  path: string,
  given: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    const name = m[1] as string;
    const value = given[name] ?? '';
    const rule = Object.hasOwn(PATH_PARAMS, name) ? PATH_PARAMS[name] : undefined;
    if (rule && !rule.valid(value)) throw rule.invalid(method);
    out[name] = value;
  }
  return out;
}
