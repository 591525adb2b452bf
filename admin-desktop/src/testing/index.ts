// @sealtime/admin-desktop/testing: what root tests and benchmarks may use of the admin app
// (a real server with a root account, the UI served to a browser); they never reach into admin-desktop/src.
export {
  lowParams,
  PASSPHRASE,
  ROOT_PASSWORD,
  startAdminTestServer,
  type AdminTestServer,
} from '../admin/test-support/admin-server.js';
export { startUiProcess, type UiSession } from '../test-support/ui-harness.js';
