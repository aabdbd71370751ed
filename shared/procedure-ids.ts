/**
 * Procedure ids belong to their ward (mã thủ tục thuộc phường/xã). The rule:
 * - an id that starts with another ward's id and a hyphen (`quangtrung-…`), or is another ward's
 *   id, is that ward's to take: refused to everyone else, used or not yet (so no ward can take an
 *   id another ward would use: each ward's own ids are `<ward>-<name>`, as the seeds and the
 *   catalog copies of PUT /v1/province/wards are);
 * - any other id is taken by the first ward that writes it (the catalog's write is conditional),
 *   and refused to the others after that (functions/catalog.ts checks the stored entry's ward).
 * Ward ids must not extend one another across a hyphen (`a` and `a-b`) for this to hold.
 */
import { ForbiddenError } from './errors.ts';

/** The ward among `wards` whose id space `id` falls in (`<ward>` or `<ward>-…`), if any. */
function procedureIdWard(id: string, wards: readonly string[]): string | undefined {
  return wards.find((w) => id === w || id.startsWith(`${w}-`));
}

/** Throws 403 PROCEDURE_ID_OTHER_WARD when `id` is in the id space of a ward other than `ward`. */
export function assertProcedureIdOfWard(id: string, ward: string, wards: readonly string[]): void {
  const owner = procedureIdWard(id, wards);
  if (owner !== undefined && owner !== ward) {
    throw new ForbiddenError(
      `Mã thủ tục "${id}" thuộc phường/xã khác; mã của phường/xã này nên bắt đầu bằng "${ward}-" (ví dụ ${ward}-dang-ky-khai-sinh).`,
      'PROCEDURE_ID_OTHER_WARD',
    );
  }
}
