/** Roles of section 6 of the design: who calls the API. */
export const ROLES = [
  'citizen',
  'receiver',
  'specialist',
  'leader',
  'admin',
  'kiosk',
  /** A community digital team member (tổ công nghệ số cộng đồng): `ward` and `residentialGroup`. */
  'helper',
  /** Manages the wards of the deployment (the province's administrator). */
  'province',
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** The verified caller: `ward` (the tenant) is set for staff, kiosks and helpers. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  readonly ward?: string;
  /** A helper's residential group (tổ dân phố) in their ward. */
  readonly residentialGroup?: string;
  /** A citizen's personal identity number from VNeID (số định danh cá nhân). */
  readonly idNumber?: string;
  /** The official's name and title (họ tên, chức danh), from the token's `name`/`title` claims. */
  readonly name?: string;
  readonly title?: string;
}

/** A personal identity number (số định danh cá nhân / CCCD): 12 digits, or 9 for the old CMND. */
export { ID_NUMBER } from './ids.ts';

export const isStaff = (p: Principal): boolean =>
  p.role === 'receiver' || p.role === 'specialist' || p.role === 'leader' || p.role === 'admin';
