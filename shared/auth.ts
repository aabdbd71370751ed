/** Roles of section 6 of the design: who calls the API. */
export const ROLES = ['citizen', 'receiver', 'specialist', 'leader', 'admin', 'kiosk'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** The verified caller: `ward` (the tenant) is set for staff and kiosks. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  readonly ward?: string;
  /** The official's name and title (họ tên, chức danh), from the token's `name`/`title` claims. */
  readonly name?: string;
  readonly title?: string;
}

export const isStaff = (p: Principal): boolean =>
  p.role === 'receiver' || p.role === 'specialist' || p.role === 'leader' || p.role === 'admin';
