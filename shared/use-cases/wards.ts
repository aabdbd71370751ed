/**
 * Ward use cases: a province administrator adds or changes a ward (with its receiving points,
 * counters, residential groups and a catalog copied as a start); a ward's admin keeps its
 * residential groups (tổ dân phố); anyone reads them.
 */
import type { Principal } from '../auth.ts';
import type { Procedure } from '../catalog.ts';
import { ConflictError, ForbiddenError, UnprocessableError } from '../errors.ts';
import type { CatalogRepository, Clock } from '../ports.ts';
import { requireWard, type WardDirectory, type WardInput, wardFromInput } from '../ward-directory.ts';
import type { ResidentialGroup, Ward } from '../wards.ts';

interface WardDeps {
  readonly wards: WardDirectory;
  readonly catalog: CatalogRepository;
  readonly clock: Clock;
}

interface WardResult {
  readonly ward: Ward;
  readonly created: boolean;
  /** Procedures copied from `catalogFrom` (entries the ward already had are kept, not counted). */
  readonly copiedProcedures: number;
}

/** The id a copied procedure takes in the new ward: procedure ids belong to their ward. */
export function copiedProcedureId(from: string, to: string, id: string): string {
  const rest = id.startsWith(`${from}-`) ? id.slice(from.length + 1) : id;
  return `${to}-${rest}`.slice(0, 80);
}

/** Adds or changes a ward (province only). Takes effect at once for new reads; caches within a minute. */
export async function putWard(deps: WardDeps, p: Principal, id: string, input: WardInput): Promise<WardResult> {
  if (p.role !== 'province') throw new ForbiddenError('Chỉ quản trị cấp tỉnh được thêm, sửa phường/xã.');
  const source = input.catalogFrom ? await deps.wards.get(input.catalogFrom) : undefined;
  if (input.catalogFrom && !source) {
    throw new UnprocessableError('UNKNOWN_WARD', `Phường/xã "${input.catalogFrom}" (catalogFrom) không tồn tại.`);
  }
  if (input.catalogFrom === id) {
    throw new UnprocessableError('CATALOG_FROM_ITSELF', 'Không thể sao chép danh mục của chính phường/xã này.');
  }
  const current = await deps.wards.get(id);
  if (input.expectedVersion !== undefined && current?.version !== input.expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'Phường/xã vừa được người khác cập nhật; hãy tải lại.');
  }
  const at = deps.clock.now().toISOString();
  const ward = wardFromInput(id, input, current, at);
  await deps.wards.put(ward, current?.version);
  const copiedProcedures = source ? await copyCatalog(deps, source.id, id, input.nationalCodes, at) : 0;
  return { ward, created: current === undefined, copiedProcedures };
}

async function copyCatalog(
  deps: WardDeps,
  from: string,
  to: string,
  nationalCodes: readonly string[] | undefined,
  at: string,
): Promise<number> {
  const wanted = nationalCodes ? new Set(nationalCodes) : undefined;
  let copied = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.catalog.listByWard(from, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const proc of page.items) {
      if (wanted && !(proc.nationalCode && wanted.has(proc.nationalCode))) continue;
      const id = copiedProcedureId(from, to, proc.id);
      if (await deps.catalog.get(id)) continue;
      const copy: Procedure = { ...proc, id, ward: to, version: 1, updatedAt: at };
      try {
        await deps.catalog.put(copy);
        copied++;
      } catch (e) {
        // Written meanwhile by someone else (a retried PUT, the ward's admin): theirs stands.
        if (!(e instanceof Error && 'code' in e && e.code === 'STALE_VERSION')) throw e;
      }
    }
    cursor = page.next;
  } while (cursor);
  return copied;
}

/** The ward's residential groups (public). */
export async function residentialGroupsOf(deps: Pick<WardDeps, 'wards'>, wardId: string) {
  const ward = await requireWard(deps.wards, wardId);
  return { ward: ward.id, version: ward.version ?? 1, items: ward.residentialGroups ?? [] };
}

/** The ward's admin replaces its list of residential groups; only their own ward. */
export async function putResidentialGroups(
  deps: Pick<WardDeps, 'wards' | 'clock'>,
  p: Principal,
  input: { ward?: string | undefined; items: readonly ResidentialGroup[]; expectedVersion?: number | undefined },
) {
  if (p.role !== 'admin' || !p.ward) throw new ForbiddenError();
  const wardId = input.ward ?? p.ward;
  if (wardId !== p.ward) {
    throw new ForbiddenError('Quản trị viên chỉ quản lý phường/xã của mình.', 'OTHER_WARD');
  }
  const current = await requireWard(deps.wards, wardId);
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConflictError('STALE_VERSION', 'Phường/xã vừa được người khác cập nhật; hãy tải lại.');
  }
  const next: Ward = {
    ...current,
    residentialGroups: input.items,
    version: (current.version ?? 0) + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.wards.put(next, current.version);
  return { ward: next.id, version: next.version ?? 1, items: next.residentialGroups ?? [] };
}
