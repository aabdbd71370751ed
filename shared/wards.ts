/**
 * The tenants (phường/xã) this deployment serves and their receiving points. A ward is a tenant:
 * staff tokens carry one, and everything a ward owns is keyed by it.
 *
 * Wards are data: the ward directory (shared/ward-directory.ts, stored in the table) is where
 * they are read, and a province administrator adds or changes them through the API. What this
 * file holds is the SEED: the two demo wards the local runtime (and a fresh deployment) starts with.
 */
export interface ReceivingPoint {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** Service groups a kiosk can issue numbers for at this point (nhóm dịch vụ). */
  readonly groups: readonly { readonly id: string; readonly name: string; readonly prefix: string }[];
  readonly counters: readonly string[];
}

/** A residential group (tổ dân phố): one community digital team works for each. */
export interface ResidentialGroup {
  readonly id: string;
  readonly name: string;
}

export interface Ward {
  readonly id: string;
  /** Unit code that prefixes dossier codes (mã đơn vị), e.g. H56.27.01-20260609-0001. */
  readonly unitCode: string;
  readonly name: string;
  readonly province: string;
  readonly centerName: string;
  readonly address: string;
  readonly points: readonly ReceivingPoint[];
  /** The ward's residential groups (tổ dân phố); empty when none were given. */
  readonly residentialGroups?: readonly ResidentialGroup[];
  /** The stored version (conditional writes); absent in the seed. */
  readonly version?: number;
  readonly updatedAt?: string;
}

/** The kiosk's service groups a point gets when none are given (nhóm dịch vụ). */
export const DEFAULT_SERVICE_GROUPS = [
  { id: 'hotich', name: 'Hộ tịch, chứng thực', prefix: 'A' },
  { id: 'datdai', name: 'Đất đai, xây dựng, kinh doanh', prefix: 'B' },
  { id: 'xahoi', name: 'Lao động, thương binh và xã hội', prefix: 'C' },
] as const;
const groups = DEFAULT_SERVICE_GROUPS;

/**
 * Bỉm Sơn's 35 residential groups (tổ dân phố), one community digital team each. Their real
 * names were not found in a public source we could read: numbered names stand in ("Tổ dân phố
 * số 1".."35"); the ward's admin renames them with PUT /v1/admin/residential-groups.
 */
const numberedGroups = (n: number): readonly ResidentialGroup[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `tdp-${String(i + 1).padStart(2, '0')}`,
    name: `Tổ dân phố số ${i + 1}`,
  }));

export const SEED_WARDS: readonly Ward[] = [
  {
    id: 'bimson',
    unitCode: 'H56.27.01',
    name: 'Phường Bỉm Sơn',
    province: 'Tỉnh Thanh Hóa',
    centerName: 'Trung tâm Phục vụ hành chính công phường Bỉm Sơn',
    address: 'Phường Bỉm Sơn, tỉnh Thanh Hóa',
    points: [
      {
        id: 'badinh',
        name: 'Điểm tiếp nhận số 1 (trụ sở phường Ba Đình cũ)',
        address: 'Trụ sở UBND phường Ba Đình cũ',
        groups,
        counters: ['badinh-1', 'badinh-2', 'badinh-3'],
      },
      {
        id: 'havinh',
        name: 'Điểm tiếp nhận số 2 (trụ sở xã Hà Vinh cũ)',
        address: 'Trụ sở UBND xã Hà Vinh cũ',
        groups,
        counters: ['havinh-1', 'havinh-2'],
      },
    ],
    residentialGroups: numberedGroups(35),
  },
  {
    id: 'quangtrung',
    unitCode: 'H56.27.02',
    name: 'Phường Quang Trung',
    province: 'Tỉnh Thanh Hóa',
    centerName: 'Trung tâm Phục vụ hành chính công phường Quang Trung',
    address: 'Phường Quang Trung, tỉnh Thanh Hóa',
    points: [
      {
        id: 'trungtam',
        name: 'Điểm tiếp nhận trung tâm',
        address: 'Trụ sở UBND phường Quang Trung',
        groups,
        counters: ['trungtam-1', 'trungtam-2'],
      },
    ],
    residentialGroups: numberedGroups(12),
  },
];

/** @deprecated The seed only: use `WardDirectory.get` (shared/ward-directory.ts). */
export const wardById = (id: string): Ward | undefined => SEED_WARDS.find((w) => w.id === id);
