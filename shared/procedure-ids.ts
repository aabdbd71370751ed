/**
 * Procedure ids belong to their ward (mã thủ tục thuộc phường/xã). The rule: a procedure id is
 * `<ward>-<name>`, the id of the ward that keeps it, a hyphen, and a name of its own (e.g.
 * `bimson-dang-ky-khai-sinh`). So one ward's administrator can neither take an id another ward
 * uses nor one it would use later: every id another ward can ever need starts with that ward's
 * id. (Ward ids must not extend one another across a hyphen, `a` and `a-b`, for this to hold.)
 */
import { ForbiddenError } from './errors.ts';

/** Whether `id` is a procedure id of `ward` under the rule above. */
export function procedureIdOfWard(id: string, ward: string): boolean {
  return id.length > ward.length + 1 && id.startsWith(`${ward}-`);
}

/** Throws 403 PROCEDURE_ID_OTHER_WARD when `id` is not `<ward>-<name>`: not the admin's to take. */
export function assertProcedureIdOfWard(id: string, ward: string): void {
  if (!procedureIdOfWard(id, ward)) {
    throw new ForbiddenError(
      `Mã thủ tục của phường/xã phải bắt đầu bằng "${ward}-" (ví dụ ${ward}-dang-ky-khai-sinh).`,
      'PROCEDURE_ID_OTHER_WARD',
    );
  }
}
