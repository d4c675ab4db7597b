import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CUSTOMER_STAFF_ROLES, PARTNER_STAFF_ROLES, PERMISSIONS, renderStaffRoleTable, staffAllows, type Operation } from '../src';

describe('the staff-role table', () => {
  it('the README shows exactly the table in code', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const m = /<!-- staff-role-table:start -->\n([\s\S]*?)\n<!-- staff-role-table:end -->/.exec(readme);
    expect(m?.[1]).toBe(renderStaffRoleTable());
  });

  it('lets roles in only as written; nobody without roles; machine clients by scope', () => {
    for (const op of Object.keys(PERMISSIONS) as Operation[]) {
      const p = PERMISSIONS[op];
      for (const r of PARTNER_STAFF_ROLES) expect([op, r, staffAllows({ kind: 'PARTNER_USER', roles: [r], scopes: [] }, op)]).toEqual([op, r, (p.partner as readonly string[]).includes(r)]);
      for (const r of CUSTOMER_STAFF_ROLES) expect([op, r, staffAllows({ kind: 'CUSTOMER_USER', roles: [r], scopes: [] }, op)]).toEqual([op, r, (p.customer as readonly string[]).includes(r)]);
      expect(staffAllows({ kind: 'PARTNER_USER', roles: [], scopes: [] }, op)).toBe(false);
      expect(staffAllows({ kind: 'SERVICE', roles: [], scopes: ['x:y'] }, op)).toBe(false);
    }
    expect(staffAllows({ kind: 'SERVICE', roles: [], scopes: ['usage:write'] }, 'recordUsage')).toBe(true);
    // Only ADMINs manage people and groups.
    for (const op of ['createUser', 'setUserRoles', 'addSecurityGroupMembers', 'removeSecurityGroupMembers'] as Operation[]) {
      expect([op, PERMISSIONS[op].partner, PERMISSIONS[op].customer]).toEqual([op, ['ADMIN'], ['ADMIN']]);
    }
  });
});
