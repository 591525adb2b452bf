/**
 * The whole organisation sealed in memory, for tests that need sealed
 * records without a server (view models, chain checks, decrypt paths). The
 * people's keys come from test-org.ts (plain PersonKeys, no passphrase
 * wrapping); device ids are `dev-<device key>`. Batches are yielded, not
 * collected: the caller keeps what it needs.
 */
import { createTestOrg, type TestOrg } from '../test-org.js';
import type { DevicePlan, OrgPlan, PersonPlan } from './org-plan.js';
import { ScreenPool } from './screen-images.js';
import { recipientDirectory, sealDevice, type SealedBatch } from './seal-device.js';

export interface InMemoryBatch extends SealedBatch {
  person: PersonPlan;
  device: DevicePlan;
  deviceId: string;
}

export const inMemoryDeviceId = (device: DevicePlan): string => `dev-${device.key}`;

export async function* sealOrgInMemory(
  org: OrgPlan,
  keys?: TestOrg,
  pool = new ScreenPool(),
): AsyncGenerator<InMemoryBatch> {
  const k = keys ?? (await createTestOrg());
  for (const person of org.people) {
    const recipients = recipientDirectory({
      organisation: k.org.boxPublicKey,
      hr: k.hr.boxPublicKey,
      team: k.team(person.teamId).boxPublicKey,
      employee: k.employee(person.employeeId).boxPublicKey,
    });
    for (const device of person.devices) {
      const deviceId = inMemoryDeviceId(device);
      for await (const batch of sealDevice({ org, person, device, deviceId, recipients, pool }))
        yield { ...batch, person, device, deviceId };
    }
  }
}
