/**
 * npx tsx bench/agent/backlog-count.ts — the counting part of bench:agent's
 * drain phase alone: the same offline week (same seed, default policy)
 * written by the agent's recorder under both record models, app usage in the
 * activity slot (now) and one app-event per focus change (before), with no
 * drain. Prints the records per routing class and the envelope bytes.
 */
import { loadConfig } from './config.js';
import { writeOfflineWeek } from './backlog.js';
import { enrollWithRecipients, startServer } from './fixture.js';

const cfg = loadConfig();
const srv = await startServer();
try {
  const rows: Array<Record<string, string | number>> = [];
  for (const model of ['app-events', 'slot-apps'] as const) {
    const dev = await enrollWithRecipients(srv, `e-count-${model}`, 't-count');
    const { docs: _docs, ...week } = await writeOfflineWeek(dev, srv.org, 't-count', {
      days: cfg.days,
      workDays: cfg.workDays,
      seed: cfg.seed,
      model,
    });
    rows.push({
      model,
      records: week.records,
      ...week.byKind,
      'envelope KiB': Math.round(week.bytes / 1024),
      'write ms': Math.round(week.writeMs),
    });
  }
  console.table(rows);
  const [before, after] = rows;
  console.log(
    `offline week (${cfg.workDays} working days of ${cfg.days}, seed ${cfg.seed}): ${before!.records} records before, ${after!.records} now (${(Number(before!.records) / Number(after!.records)).toFixed(2)}x fewer)`,
  );
} finally {
  await srv.close();
}
