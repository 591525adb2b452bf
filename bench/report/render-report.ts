import type { BenchRow } from '../bench-report.js';
import type { MachineFacts } from './machine.js';
import { judge, unmatched, type Target, TARGETS } from './targets.js';

export interface AreaResults {
  area: string;
  rows: BenchRow[];
  /** null for results written before runs recorded their machine */
  machine: MachineFacts | null;
  /** the hand-written notes (bench/notes/<area>.md): what limits each figure, what was tried */
  notes: string | null;
  /** set by `npm run bench` when this area's bench failed in that run: its figures are the previous run's */
  failed?: { exitCode: number | null; tail: string };
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000));
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const targetText = (t: Target): string =>
  `${t.on === 'ratio' ? 'ratio ' : ''}${t.op === '>=' ? '≥' : '≤'} ${fmt(t.bound)}`;

/** The whole report as Markdown: one section per area, each figure with its comparison, ratio and target verdict. */
export function renderReport(areas: readonly AreaResults[], targets: readonly Target[] = TARGETS): string {
  const out: string[] = [];
  out.push('# Benchmark report', '');
  out.push(
    'Written by `npm run bench` (or `npm run bench:report` from the last results). Every figure comes from `bench/results/<area>.json`; a ratio compares two figures taken in the same run. These machines are shared and noisy: read the load figure beside each run.',
    '',
  );
  const verdicts = areas.flatMap((a) => a.rows.flatMap((r) => judge(a.area, r, targets)));
  const passed = verdicts.filter((v) => v.pass === true).length;
  const missed = verdicts.filter((v) => v.pass === false).length;
  const missing = areas.flatMap((a) => unmatched(a.area, a.rows, targets).map((t) => ({ area: a.area, t })));
  out.push(`**Targets:** ${passed} met, ${missed} missed, ${missing.length} not measured.`, '');
  if (missed > 0 || missing.length > 0) {
    out.push('| area | figure | target | measured | |', '| --- | --- | --- | --- | --- |');
    for (const a of areas)
      for (const r of a.rows)
        for (const v of judge(a.area, r, targets))
          if (v.pass === false)
            out.push(
              `| ${a.area} | ${cell(r.metric)}${r.vs ? ` (vs ${cell(r.vs)})` : ''} | ${targetText(v.target)} | ${v.actual === null ? '—' : fmt(v.actual)} | missed |`,
            );
    for (const m of missing)
      out.push(`| ${m.area} | ${cell(m.t.metric.source)} | ${targetText(m.t)} | — | not measured |`);
    out.push('');
  }
  for (const a of areas) {
    out.push(`## ${a.area}`, '');
    const m = a.machine;
    out.push(
      m
        ? `Run ${m.date.slice(0, 16).replace('T', ' ')} UTC at commit ${m.commit ?? 'unknown'} on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, '')}; load ${fmt(m.loadAtEnd)} at the end.`
        : 'Run before runs recorded their machine (no `.meta.json`).',
      '',
    );
    if (a.failed)
      out.push(
        `**This run of \`bench:${a.area}\` failed (exit ${a.failed.exitCode ?? 'signal'}); the figures below are from the previous run.** Last output: \`${cell(a.failed.tail.slice(-300))}\``,
        '',
      );
    out.push(
      '| figure | value | compared with | their value | ratio | target |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of a.rows) {
      const vs = judge(a.area, r, targets);
      const verdict = vs
        .map((v) => `${targetText(v.target)}: ${v.pass === null ? '—' : v.pass ? 'met' : '**missed**'}`)
        .join('; ');
      out.push(
        `| ${cell(r.metric)} | ${fmt(r.value)} ${cell(r.unit)} | ${r.vs ? cell(r.vs) : ''} | ${r.vsValue === null ? '' : fmt(r.vsValue)} | ${r.ratio === null ? '' : fmt(r.ratio)} | ${verdict} |`,
      );
    }
    out.push('');
    if (a.notes) out.push(a.notes.trim(), '');
  }
  return out.join('\n');
}
