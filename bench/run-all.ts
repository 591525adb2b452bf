// `npm run bench`: every bench in one go, one after another (they would skew
// each other if run together), then bench/REPORT.md. A bench that fails does
// not stop the others; the report names it and keeps its previous figures.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AREAS, readResults } from './report/read-results.js';
import { renderReport } from './report/render-report.js';

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const areas = only.length > 0 ? AREAS.filter((a) => only.includes(a)) : [...AREAS];
const failed = new Map<string, { exitCode: number | null; tail: string }>();

function runBench(area: string): Promise<{ exitCode: number | null; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', `bench:${area}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer, to: NodeJS.WriteStream) => {
      to.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    };
    child.stdout.on('data', (c: Buffer) => keep(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => keep(c, process.stderr));
    child.on('close', (exitCode) => resolve({ exitCode, tail }));
  });
}

for (const area of areas) {
  console.log(`\n=== bench:${area} ===`);
  const started = Date.now();
  const r = await runBench(area);
  console.log(`=== bench:${area}: exit ${r.exitCode} after ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (r.exitCode !== 0) failed.set(area, r);
}

const benchDir = join(process.cwd(), 'bench');
const results = readResults(benchDir).map((a) => (failed.has(a.area) ? { ...a, failed: failed.get(a.area)! } : a));
writeFileSync(join(benchDir, 'REPORT.md'), renderReport(results));
console.log(`wrote bench/REPORT.md${failed.size > 0 ? `; failed: ${[...failed.keys()].join(', ')}` : ''}`);
process.exitCode = failed.size > 0 ? 1 : 0;
