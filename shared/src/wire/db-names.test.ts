import { describe, expect, it } from 'vitest';
import { dbNames, isValidEntityId, parseDbName } from './db-names.js';

describe('database names (a wire contract)', () => {
  it('parses back every name it builds', () => {
    expect(parseDbName(dbNames.employeeRecords('e-1'))).toEqual({ kind: 'employee-records', employeeId: 'e-1' });
    expect(parseDbName(dbNames.employeeBlobs('e-1'))).toEqual({ kind: 'employee-blobs', employeeId: 'e-1' });
    expect(parseDbName(dbNames.employeeInbox('e-1'))).toEqual({ kind: 'employee-inbox', employeeId: 'e-1' });
    expect(parseDbName(dbNames.teamRecords('t1'))).toEqual({ kind: 'team-records', teamId: 't1' });
    expect(parseDbName(dbNames.orgRecords)).toEqual({ kind: 'org-records' });
    expect(parseDbName(dbNames.hrAttendance)).toEqual({ kind: 'hr-attendance' });
    expect(parseDbName(dbNames.orgDirectory)).toEqual({ kind: 'org-directory' });
  });

  it('keeps the spelling both sides use on the wire', () => {
    expect(dbNames.employeeRecords('ann')).toBe('st-emp-ann-records');
    expect(dbNames.teamRecords('ops')).toBe('st-team-ops-records');
    expect([dbNames.orgRecords, dbNames.hrAttendance, dbNames.orgDirectory]).toEqual([
      'st-org-records',
      'st-hr-attendance',
      'st-org-directory',
    ]);
  });

  it('refuses ids that would make another name, and names that are not ours', () => {
    expect(() => dbNames.employeeInbox('Ann')).toThrow(RangeError);
    expect(() => dbNames.teamRecords('a/b')).toThrow(RangeError);
    expect(isValidEntityId('-a')).toBe(false);
    expect(parseDbName(dbNames.provisioning)).toBeNull();
    expect(parseDbName('st-emp-ann-secrets')).toBeNull();
    expect(parseDbName('_users')).toBeNull();
  });
});
