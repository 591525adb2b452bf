/** Memory figures of the bench's processes: /proc for any process, the core's own breakdown, Chromium's renderers. */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';

export interface ProcMemory {
  rssMb: number;
  shmemMb: number;
  hwmMb: number;
  anonMb: number;
  fileMb: number;
}

/** kB figures of /proc/<pid>/status, in MB. */
export async function procMemory(pid: number): Promise<ProcMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // file-backed: code and libraries, and the LevelDB tables it maps for reading (the kernel can drop those pages)
  return {
    rssMb: kb('VmRSS') / 1024,
    shmemMb: kb('RssShmem') / 1024,
    hwmMb: kb('VmHWM') / 1024,
    anonMb: kb('RssAnon') / 1024,
    fileMb: kb('RssFile') / 1024,
  };
}

/** Every Chromium renderer process's memory (a process that exited meanwhile is left out). */
export async function rendererMemories(browser: Browser): Promise<ProcMemory[]> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  await cdp.detach();
  const mems = await Promise.all(
    info.processInfo.filter((p) => p.type === 'renderer').map((p) => procMemory(p.id).catch(() => null)),
  );
  return mems.filter((m) => m !== null);
}

/** The largest renderer's RSS now, logged: which part of the run grows it. */
export async function logRendererRss(browser: Browser, stage: string, log: (m: string) => void): Promise<void> {
  const top = (await rendererMemories(browser)).sort((a, b) => b.rssMb - a.rssMb)[0];
  if (top)
    log(
      `    renderer RSS ${stage}: ${top.rssMb.toFixed(0)} MB (anonymous ${top.anonMb.toFixed(0)}, file ${top.fileMb.toFixed(0)}, shared memory ${top.shmemMb.toFixed(0)})`,
    );
}

export interface CoreMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  anon: { totalMb: number; mappings: number; largestMb: string[] } | null;
}

/** The core's process.memoryUsage() after a full GC (core-memory-probe.mjs answers SIGUSR2 on stderr). */
export function coreMemory(proc: ChildProcess, timeoutMs = 600_000): Promise<CoreMemory> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = /\[core-memory\] (\{.*\})\n/.exec(buf);
      if (!m) return;
      done();
      resolve(JSON.parse(m[1]!) as CoreMemory);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the core did not report its memory'));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.stderr!.off('data', onData);
    };
    proc.stderr!.on('data', onData);
    proc.kill('SIGUSR2');
  });
}
