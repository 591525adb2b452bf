// `npm run bench:report`: rewrites bench/REPORT.md from the last results of every bench.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from './report/read-results.js';
import { renderReport } from './report/render-report.js';

const benchDir = join(process.cwd(), 'bench');
const file = join(benchDir, 'REPORT.md');
writeFileSync(file, renderReport(readResults(benchDir)));
console.log(`wrote ${file}`);
