/** What every fold test starts from: a test organisation, an intruder's keys and the device's trust in that organisation. */
import { newSeed, personKeysFromSeed, type PersonKeys } from '@sealtime/shared';
import { createTestOrg, type TestOrg } from '../../../../test-support/test-org.js';
import type { InboxTrust } from '../fold-inbox.js';

export async function foldSetup(): Promise<{ org: TestOrg; intruder: PersonKeys; trust: InboxTrust }> {
  const org = await createTestOrg();
  return {
    org,
    intruder: personKeysFromSeed(newSeed()),
    trust: { deviceId: 'dev-aaaa', employeeId: 'emp-1', orgKeyFingerprint: org.orgKeyFingerprint },
  };
}
