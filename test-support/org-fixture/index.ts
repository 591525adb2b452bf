/**
 * Realistic organisation data for the admin app's tests and benchmark:
 * generateOrg (a deterministic plan), sealDevice (a device's records sealed
 * by the recorder's own code), storeOrg (everything onto a running server
 * through its API). See the files for what each produces.
 */
export {
  generateOrg,
  deviceFor,
  DEFAULT_POLICY,
  type OrgFixtureOptions,
  type OrgPlan,
  type OrgPolicy,
  type PersonPlan,
  type DevicePlan,
  type TeamPlan,
  type Shift,
} from './org-plan.js';
export {
  planDay,
  planDevice,
  workDayOf,
  correctionDateOf,
  manualEntriesOf,
  type PlannedRecord,
  type ImageKey,
} from './day-plan.js';
export { APPS } from './app-mix.js';
export { ScreenPool, type PoolImage } from './screen-images.js';
export {
  sealDevice,
  recipientDirectory,
  type SealedBatch,
  type SealedRecord,
  type RecipientKeys,
  type SealDeviceInput,
} from './seal-device.js';
export { sealOrgInMemory, inMemoryDeviceId, type InMemoryBatch } from './seal-in-memory.js';
export {
  storeOrg,
  recordCount,
  ORG_PASSPHRASE,
  HR_PASSPHRASE,
  teamPassphrase,
  employeePassphrase,
  type StoreTarget,
  type StoredOrg,
  type StoredDevice,
  type FixtureUser,
  type StoreProgress,
  type DirectWriter,
} from './store-org.js';
export { engineWriter } from './engine-writer.js';
export { planProjects } from './project-plan.js';
export {
  planRuleSets,
  trackedStretches,
  trackedAt,
  addsManualTime,
  manualEntryOn,
  manualDecisionOf,
  type TrackedStretch,
} from './work-plan.js';
