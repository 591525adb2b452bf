import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineFacts } from './report/machine.js';

/** One row of bench/results/<area>.json, as DESIGN.md defines it. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  vs: string | null;
  vsValue: number | null;
  ratio: number | null;
  higherIsBetter: boolean;
}

export function row(
  metric: string,
  value: number,
  unit: string,
  higherIsBetter: boolean,
  vs?: { name: string; value: number },
): BenchRow {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    metric,
    value: round(value),
    unit,
    vs: vs?.name ?? null,
    vsValue: vs ? round(vs.value) : null,
    ratio: vs && vs.value !== 0 ? round(value / vs.value) : null,
    higherIsBetter,
  };
}

export function writeResults(area: string, rows: BenchRow[]): string {
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${area}.json`);
  writeFileSync(file, JSON.stringify(rows, null, 2) + '\n');
  // the machine and load beside the figures, for bench/REPORT.md
  writeFileSync(join(dir, `${area}.meta.json`), JSON.stringify(machineFacts(), null, 2) + '\n');
  const table = rows.map((r) => ({
    metric: r.metric,
    value: `${r.value} ${r.unit}`,
    vs: r.vs ?? '',
    vsValue: r.vsValue ?? '',
    ratio: r.ratio ?? '',
  }));
  console.table(table);
  return file;
}
