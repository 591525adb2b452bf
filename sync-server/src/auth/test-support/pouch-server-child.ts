/** Child-process entry for pouch-server-process.ts: argv = <dir> <port>. */
import { startPouchServer } from './pouch-server.js';

const [dir, port] = process.argv.slice(2);
if (!dir) throw new Error('usage: pouch-server-child <dir> <port>');
const server = await startPouchServer({ dir, port: Number(port ?? 0), validation: true });
process.stdout.write(`listening ${server.port}\n`);
