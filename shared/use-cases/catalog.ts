/** The procedure catalog (danh mục thủ tục hành chính): a ward's admin creates or replaces a procedure. */
import type { Principal } from '../auth.ts';
import type { Procedure, ProcedureInput } from '../catalog.ts';
import { ForbiddenError } from '../errors.ts';
import type { CatalogRepository, Clock } from '../ports.ts';
import { assertProcedureIdOfWard } from '../procedure-ids.ts';
import type { WardDirectory } from '../ward-directory.ts';

interface CatalogDeps {
  readonly catalog: Pick<CatalogRepository, 'get' | 'put'>;
  readonly wards: Pick<WardDirectory, 'list'>;
  readonly clock: Clock;
}

/**
 * Creates or replaces procedure `id` in the admin's own ward (the next version, conditional on the
 * one read). Refused (OTHER_WARD) for another ward's input or procedure, and for an id in another
 * ward's id space (`<ward>-…`); any other id belongs to the first ward that takes it.
 */
export async function upsertProcedure(
  deps: CatalogDeps,
  principal: Pick<Principal, 'ward'> | undefined,
  id: string,
  input: ProcedureInput,
): Promise<{ procedure: Procedure; created: boolean }> {
  const ward = input.ward ?? principal?.ward;
  if (!ward || ward !== principal?.ward)
    throw new ForbiddenError('Chỉ quản trị viên của phường được sửa danh mục.', 'OTHER_WARD');
  assertProcedureIdOfWard(
    id,
    ward,
    (await deps.wards.list()).map((w) => w.id),
  );
  const current = await deps.catalog.get(id);
  if (current && current.ward !== ward) throw new ForbiddenError('Thủ tục thuộc phường/xã khác.', 'OTHER_WARD');
  const procedure: Procedure = {
    ...input,
    id,
    ward,
    version: (current?.version ?? 0) + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.catalog.put(procedure, current?.version);
  return { procedure, created: !current };
}
