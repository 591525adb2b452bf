// Loaded into the bench's admin core process (node --expose-gc --import):
// on SIGUSR2 it runs a full GC and prints one line `[core-memory] {json}` to
// stderr with process.memoryUsage() (rss, heapUsed, external, arrayBuffers),
// so the bench can say whether the core's RSS is JS heap, buffers or native.
// With SEALTIME_BENCH_CORE_HEAP=<dir> it also writes a V8 heap snapshot there.
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const dir = process.env.SEALTIME_BENCH_CORE_HEAP;
  const snapshot = dir ? writeHeapSnapshot(join(dir, `core-${Date.now()}.heapsnapshot`)) : null;
  process.stderr.write(`[core-memory] ${JSON.stringify({ ...m, snapshot })}\n`);
});
