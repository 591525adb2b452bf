/**
 * Where the server allocates during the rounds (BENCH_HEAP_PROFILE=1): V8's
 * sampling heap profiler through the inspector, counting objects that die
 * young too, so the summary is allocation volume per function (what drives
 * the scavenges and, through promotion, the major collections), not what
 * is live at the end.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface SamplingNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

export interface AllocationSummary {
  file: string;
  totalMb: number;
  functions: Array<{ fn: string; mb: number; share: number }>;
  /** Allocation by the first frame inside sealtime's own code on the stack (who asked for it). */
  callers: Array<{ fn: string; mb: number; share: number }>;
}

const OWN = /\/(sync-server|shared)\/src\//;

const frameName = (n: SamplingNode): string =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '').replace(/^file:\/\//, '')}:${n.callFrame.lineNumber + 1}`;

export class HeapSampler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.session.post('HeapProfiler.enable');
    await this.session.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
  }

  async stop(file: string): Promise<AllocationSummary> {
    const { profile } = (await this.session.post('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: SamplingNode };
    };
    this.session.disconnect();
    await writeFile(file, JSON.stringify(profile));
    const self = new Map<string, number>();
    const callers = new Map<string, number>();
    let total = 0;
    const walk = (n: SamplingNode, own: string | null): void => {
      const name = frameName(n);
      const ownNow = OWN.test(n.callFrame.url) ? name : own;
      if (n.selfSize > 0) {
        total += n.selfSize;
        self.set(name, (self.get(name) ?? 0) + n.selfSize);
        const c = ownNow ?? '(outside sealtime code)';
        callers.set(c, (callers.get(c) ?? 0) + n.selfSize);
      }
      for (const ch of n.children) walk(ch, ownNow);
    };
    walk(profile.head, null);
    const rank = (m: Map<string, number>) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([fn, b]) => ({ fn, mb: Math.round(b / 1e4) / 100, share: Math.round((b / total) * 1000) / 10 }));
    return { file, totalMb: Math.round(total / 1e4) / 100, functions: rank(self), callers: rank(callers) };
  }
}
