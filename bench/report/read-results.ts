import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from '../bench-report.js';
import type { MachineFacts } from './machine.js';
import type { AreaResults } from './render-report.js';

/** The order areas appear in the report: the store and crypto underneath, then the programs. */
export const AREAS = ['storage', 'crypto', 'server', 'agent', 'admin'] as const;

/** Reads bench/results/<area>.json (+ .meta.json) and bench/notes/<area>.md for every area that has results. */
export function readResults(benchDir: string): AreaResults[] {
  const resultsDir = join(benchDir, 'results');
  const present = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json') && !f.endsWith('.meta.json'))
        .map((f) => f.slice(0, -'.json'.length))
    : [];
  const ordered = [
    ...AREAS.filter((a) => present.includes(a)),
    ...present.filter((a) => !(AREAS as readonly string[]).includes(a)).sort(),
  ];
  return ordered.map((area) => {
    const rows = JSON.parse(readFileSync(join(resultsDir, `${area}.json`), 'utf8')) as BenchRow[];
    if (!Array.isArray(rows)) throw new Error(`bench/results/${area}.json is not an array of rows`);
    const metaFile = join(resultsDir, `${area}.meta.json`);
    const notesFile = join(benchDir, 'notes', `${area}.md`);
    return {
      area,
      rows,
      machine: existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as MachineFacts) : null,
      notes: existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : null,
    };
  });
}
