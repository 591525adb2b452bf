// The kill -9 soak (npm run soak): the same loop as agent-kill.int.test.ts,
// for many more iterations under a time bound, with a summary at the end.
//   npm run soak -- [--iterations 200] [--minutes 30] [--seed N] [--verbose]
// Exit code 0 when no issue was found, 1 otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDisplay } from '../../../../test-support/xvfb.js';
import { openXterm } from '../../../../test-support/x11.js';
import { cliLauncher, enrollCliAgent } from './cli-launcher.js';
import { runKillLoop } from './kill-loop.js';
import { startResilienceServer } from './server-fixture.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    minutes: { type: 'string', default: '30' },
    seed: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const iterations = Number(values.iterations);
const minutes = Number(values.minutes);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(iterations) || iterations < 1 || !(minutes > 0) || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: soak-agent [--iterations N>0] [--minutes M>0] [--seed N]\n');
  process.exit(2);
}

console.log(`soak: up to ${iterations} kills within ${minutes} min, seed ${seed} (replay with --seed ${seed})`);
const [server, display] = await Promise.all([startResilienceServer({ seed }), startDisplay()]);
const xterm = await openXterm(display.env, { title: 'soak work', geometry: '60x20+10+10' });
const dataDir = mkdtempSync(join(tmpdir(), 'sealtime-soak-'));
let failed = true;
try {
  const agent = await enrollCliAgent(server, 'emp-soak', dataDir);
  const result = await runKillLoop({
    launcher: cliLauncher({ agent, server, env: display.env }),
    ledger: () => server.ledger('emp-soak'),
    seed,
    rounds: iterations,
    timeBudgetMs: minutes * 60_000,
    drainTimeoutMs: 120_000,
    log: (l) => {
      if (values.verbose) console.log(l);
    },
  });
  const rows: Array<[string, string | number]> = [
    ['seed', result.seed],
    [
      'kills',
      `${result.rounds} (startup ${result.kills.startup}, recording ${result.kills.recording}, push ${result.kills.push})`,
    ],
    ['attendance events confirmed', result.attendanceAcknowledged],
    ['records on the device', result.localCount],
    ['records on the server', result.ledger.count],
    ['gaps / duplicates on the server', `${result.ledger.gaps.length} / ${result.ledger.duplicates.length}`],
    ['server chain verifies', result.ledger.chainOk ? 'yes' : 'NO'],
    ['final drain', `${result.drainMs} ms`],
    ['total', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['issues', result.issues.length],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(32)} ${v}`);
  for (const i of result.issues.slice(0, 50)) console.log(`  issue: ${i}`);
  failed = result.issues.length > 0;
} finally {
  await xterm.close().catch(() => undefined);
  await display.stop();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
