// Child process of login-flood.int.test.ts: `loops` concurrent login loops
// with made-up account names from one local address, for `ms` milliseconds,
// each loop sending its next attempt as soon as the last is answered (what
// an attacker does; Retry-After is ignored). Prints the status counts.
import { closeAgents, httpFrom } from './http-from.js';

const [url, from, loopsArg, msArg] = process.argv.slice(2);
const loops = Number(loopsArg);
const until = Date.now() + Number(msArg);
const statuses: Record<string, number> = {};
let n = 0;

async function loop(k: number): Promise<void> {
  while (Date.now() < until) {
    const name = `ghost-${k}-${n++}`;
    try {
      const r = await httpFrom(from!, url!, 'POST', '/_sealtime/api/login', {
        userId: name,
        password: 'made up password guess',
      });
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    } catch {
      statuses.error = (statuses.error ?? 0) + 1;
    }
  }
}

await Promise.all(Array.from({ length: loops }, (_, k) => loop(k)));
closeAgents();
process.stdout.write(`${JSON.stringify(statuses)}\n`);
