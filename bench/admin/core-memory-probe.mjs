// Loaded into the bench's admin core process (node --expose-gc --import):
// on SIGUSR2 it runs a full GC and prints one line `[core-memory] {json}` to
// stderr with process.memoryUsage() (rss, heapUsed, external, arrayBuffers),
// so the bench can say whether the core's RSS is JS heap, buffers or native.
// With SEALTIME_BENCH_CORE_HEAP=<dir> it also writes a V8 heap snapshot there.
import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

/** Resident anonymous memory by mapping size class (kB): V8 pages vs malloc arenas vs the rest. */
function anonResident() {
  const out = { totalMb: 0, mappings: 0, largestMb: [] };
  let size = 0;
  let anon = false;
  const sizes = [];
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      size = parseInt(head[2], 16) - parseInt(head[1], 16);
      anon = head[3] === '' || head[3] === '[heap]';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && anon && Number(rss[1]) > 0) {
      out.totalMb += Number(rss[1]) / 1024;
      out.mappings++;
      sizes.push([Number(rss[1]) / 1024, size / 1048576]);
    }
  }
  out.largestMb = sizes
    .sort((a, b) => b[0] - a[0])
    .slice(0, 12)
    .map(([r, v]) => `${r.toFixed(1)}/${v.toFixed(1)}`);
  return out;
}

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  let anon = null;
  try {
    anon = anonResident();
  } catch {
    // not Linux: the rows from memoryUsage() still come
  }
  const dir = process.env.SEALTIME_BENCH_CORE_HEAP;
  const snapshot = dir ? writeHeapSnapshot(join(dir, `core-${Date.now()}.heapsnapshot`)) : null;
  process.stderr.write(`[core-memory] ${JSON.stringify({ ...m, snapshot, anon })}\n`);
});
