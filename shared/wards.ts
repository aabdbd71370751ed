/**
 * The tenants (phường/xã) this deployment serves and their receiving points. A ward is a tenant:
 * staff tokens carry one, and everything a ward owns is keyed by it.
 */
export interface ReceivingPoint {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** Service groups a kiosk can issue numbers for at this point (nhóm dịch vụ). */
  readonly groups: readonly { readonly id: string; readonly name: string; readonly prefix: string }[];
  readonly counters: readonly string[];
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
}

const groups = [
  { id: 'hotich', name: 'Hộ tịch, chứng thực', prefix: 'A' },
  { id: 'datdai', name: 'Đất đai, xây dựng, kinh doanh', prefix: 'B' },
  { id: 'xahoi', name: 'Lao động, thương binh và xã hội', prefix: 'C' },
] as const;

export const WARDS: readonly Ward[] = [
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
  },
];

export const wardById = (id: string): Ward | undefined => WARDS.find((w) => w.id === id);
