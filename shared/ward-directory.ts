/**
 * The ward directory: the wards (phường/xã) of one deployment as data. A province administrator
 * adds or changes a ward through the API (PUT /v1/province/wards/{ward}), without a deploy or a
 * restart; a ward's admin keeps its residential groups. shared/wards.ts is the seed.
 */
import * as z from 'zod';
import { slug, text } from './api/zod.ts';
import { NotFoundError } from './errors.ts';
import { NATIONAL_CODE, NEW_WARD_ID } from './ids.ts';
import { DEFAULT_SERVICE_GROUPS, type ResidentialGroup, SEED_WARDS, type Ward } from './wards.ts';

export interface WardDirectory {
  /** The ward, or undefined when the deployment has no such ward. */
  get(id: string): Promise<Ward | undefined>;
  /** Every ward of the deployment. */
  list(): Promise<readonly Ward[]>;
  /**
   * Writes the ward; with `expectedVersion` only if the stored version is still it, without it
   * only if the ward does not exist (ConflictError STALE_VERSION otherwise). A unit code belongs
   * to one ward (ConflictError UNIT_CODE_TAKEN).
   */
  put(ward: Ward, expectedVersion?: number): Promise<void>;
}

/** The ward `id`; 404 WARD_NOT_FOUND when the deployment has none. */
export async function requireWard(dir: WardDirectory, id: string): Promise<Ward> {
  const w = await dir.get(id);
  if (!w) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
  return w;
}

/** A ward id: lowercase letters, digits and dashes (it appears in paths and keys). */
export const wardId = z.string().regex(NEW_WARD_ID, 'mã phường/xã: chữ thường, số, gạch ngang');

export const residentialGroupSchema = z
  .object({ id: slug.meta({ example: 'tdp-01' }), name: text(120).meta({ example: 'Tổ dân phố số 1' }) })
  .strict()
  .meta({ id: 'ResidentialGroup' });

const uniqueIds = <T extends { id: string }>(items: readonly T[]) =>
  new Set(items.map((i) => i.id)).size === items.length;

const residentialGroupsSchema = z.array(residentialGroupSchema).max(500).refine(uniqueIds, 'mã tổ dân phố trùng nhau');

/** The body of PUT /v1/admin/residential-groups: the ward's whole list, replacing the previous one. */
export const residentialGroupsInputSchema = z
  .object({
    /** Only the admin's own ward (defaults to it). */
    ward: wardId.optional(),
    items: residentialGroupsSchema,
    /** The ward's version read before (optional): a concurrent change then gives 409. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict()
  .meta({ id: 'ResidentialGroupsInput' });

const pointSchema = z
  .object({
    id: slug.meta({ example: 'trungtam' }),
    name: text(200),
    counters: z
      .array(slug)
      .min(1)
      .max(50)
      .refine((c) => new Set(c).size === c.length, 'mã quầy trùng nhau'),
    address: text(300).optional(),
    /** The kiosk's service groups; defaults to the three usual ones (hộ tịch, đất đai, xã hội). */
    groups: z
      .array(z.object({ id: slug, name: text(120), prefix: z.string().regex(/^[A-Z]{1,2}$/) }).strict())
      .min(1)
      .max(20)
      .optional(),
  })
  .strict()
  .meta({ id: 'ReceivingPointInput' });

/** The body of PUT /v1/province/wards/{ward} (DESIGN.md §6, second wave); fields may be added. */
export const wardInputSchema = z
  .object({
    name: text(200).meta({ example: 'Phường Đông Sơn' }),
    /** Unit code (mã đơn vị) that prefixes the ward's dossier codes. */
    unitCode: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9.]{1,29}$/, 'mã đơn vị: chữ in hoa, số, dấu chấm')
      .meta({ example: 'H56.27.03' }),
    points: z
      .array(pointSchema)
      .min(1)
      .max(20)
      .refine(uniqueIds, 'mã điểm tiếp nhận trùng nhau')
      .refine(
        (ps) => new Set(ps.flatMap((p) => p.counters)).size === ps.flatMap((p) => p.counters).length,
        'một quầy chỉ thuộc một điểm tiếp nhận',
      ),
    residentialGroups: residentialGroupsSchema.optional(),
    /** Copies this ward's catalog as a start (entries the new ward already has are kept). */
    catalogFrom: wardId.optional(),
    /** With catalogFrom: only the procedures with these national codes (mã TTHC). */
    nationalCodes: z.array(z.string().regex(NATIONAL_CODE)).min(1).max(500).optional(),
    province: text(120).optional(),
    centerName: text(200).optional(),
    address: text(300).optional(),
    /** The ward's version read before (optional): a concurrent change then gives 409. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict()
  .meta({ id: 'WardInput' });
export type WardInput = z.infer<typeof wardInputSchema>;

/** The ward a province's input describes; what the input leaves out is kept from `current`. */
export function wardFromInput(id: string, input: WardInput, current: Ward | undefined, at: string): Ward {
  const residentialGroups: readonly ResidentialGroup[] = input.residentialGroups ?? current?.residentialGroups ?? [];
  return {
    id,
    unitCode: input.unitCode,
    name: input.name,
    province: input.province ?? current?.province ?? '',
    centerName: input.centerName ?? current?.centerName ?? `Trung tâm Phục vụ hành chính công ${input.name}`,
    address: input.address ?? current?.address ?? input.name,
    points: input.points.map((p) => ({
      id: p.id,
      name: p.name,
      address: p.address ?? current?.points.find((c) => c.id === p.id)?.address ?? p.name,
      groups: p.groups ?? current?.points.find((c) => c.id === p.id)?.groups ?? DEFAULT_SERVICE_GROUPS,
      counters: p.counters,
    })),
    residentialGroups,
    version: (current?.version ?? 0) + 1,
    updatedAt: at,
  };
}

/** A directory over a fixed list (unit tests, and tools that need no table). */
export function staticWardDirectory(wards: readonly Ward[] = SEED_WARDS): WardDirectory {
  const byId = new Map(wards.map((w) => [w.id, w]));
  return {
    get: async (id) => byId.get(id),
    list: async () => [...byId.values()],
    put: async (w) => {
      byId.set(w.id, w);
    },
  };
}
