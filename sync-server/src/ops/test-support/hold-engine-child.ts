/** Child process for the CLI test: a "running server" holding the embedded engine's databases open. argv = <engine dir>. */
import { startEmbeddedEngine } from '../../engine/embedded-engine.js';
import { dbNames } from '../../provisioning/db-names.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-engine-child <engine dir>');
const engine = await startEmbeddedEngine({ dataDir: dir });
await engine.nano.db.get(dbNames.provisioning);
process.stdout.write('ready\n');
process.on('SIGTERM', () => void engine.close().then(() => process.exit(0)));
