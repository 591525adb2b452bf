/**
 * `npm run soak`: the agent's kill -9 soak. The loop lives with the agent's
 * resilience tests (agent/src/resilience); this runs it in its own process so
 * scripts/ does not import an app.
 *   npm run soak -- --iterations 200 --minutes 30 [--seed N] [--verbose]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../agent/src/resilience/test-support/soak-main.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', main, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
