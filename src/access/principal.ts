export type Role = 'partner' | 'auditor' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['partner', 'auditor', 'operator', 'admin'];

/** Who is calling, as established from their key. */
export interface Principal {
  partnerId: string;
  name: string;
  role: Role;
  /** CleverTap accounts this caller may raise bulletins on. */
  accounts: string[];
}
