/**
 * The roles of people's accounts on the sync-server: the server's access
 * rules grant by them, and the admin CLI and app show and choose them.
 */
export type Role = 'super-admin' | 'admin' | 'manager' | 'hr' | 'member';

export const ROLES: readonly Role[] = ['super-admin', 'admin', 'manager', 'hr', 'member'];

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}
