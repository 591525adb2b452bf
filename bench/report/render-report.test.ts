import { describe, expect, it } from 'vitest';
import { row } from '../bench-report.js';
import { renderReport } from './render-report.js';
import { judge, unmatched, TARGETS, type Target } from './targets.js';

const machine = {
  date: '2026-12-06T21:00:00.000Z',
  commit: 'abc1234',
  cpuModel: 'Test CPU',
  cores: 2,
  memoryGiB: 24,
  node: 'v20.19.0',
  platform: 'linux x64',
  loadAtEnd: 2.5,
};

describe('bench targets', () => {
  const t: Target[] = [
    { area: 'storage', metric: /^bulk insert 10k/, vs: /memory/, on: 'ratio', op: '>=', bound: 0.25, source: 't' },
    { area: 'storage', metric: /^bulk insert 10k/, vs: /memory/, on: 'value', op: '>=', bound: 50_000, source: 't' },
    { area: 'admin', metric: /^cold start/, on: 'value', op: '<=', bound: 15, source: 't' },
  ];
  it.each([
    [
      'storage',
      row('bulk insert 10k (durable)', 60_000, 'docs/s', true, { name: 'rxdb memory storage', value: 200_000 }),
      [true, true],
    ],
    [
      'storage',
      row('bulk insert 10k (durable)', 40_000, 'docs/s', true, { name: 'rxdb memory storage', value: 200_000 }),
      [false, false],
    ],
    [
      'storage',
      row('bulk insert 10k (durable)', 60_000, 'docs/s', true, { name: 'rxdb memory storage', value: 300_000 }),
      [false, true],
    ],
    // the same metric against another baseline: the memory targets do not apply
    ['storage', row('bulk insert 10k (durable)', 60_000, 'docs/s', true, { name: 'dexie', value: 1 }), []],
    ['admin', row('cold start to dashboard', 15, 's', false), [true]],
    ['admin', row('cold start to dashboard', 15.1, 's', false), [false]],
    ['storage', row('cold start to dashboard', 1, 's', false), []],
  ] as const)('%s %o → %o', (area, r, expected) => {
    expect(judge(area, r, t).map((v) => v.pass)).toEqual(expected);
  });
  it('names a target no row matches (a renamed metric does not pass silently)', () => {
    expect(unmatched('admin', [row('renamed', 1, 's', false)], t).map((x) => x.metric.source)).toEqual(['^cold start']);
  });
  it('every issue target names an area the report knows', () => {
    for (const x of TARGETS) expect(['storage', 'crypto', 'server', 'agent', 'admin']).toContain(x.area);
  });
});

describe('renderReport', () => {
  const t: Target[] = [
    { area: 'crypto', metric: /^open 1 KB/, on: 'value', op: '>=', bound: 20_000, source: 't' },
    { area: 'crypto', metric: /^open 300 KB/, on: 'ratio', op: '>=', bound: 0.9, source: 't' },
    { area: 'crypto', metric: /^never measured/, on: 'value', op: '<=', bound: 1, source: 't' },
  ];
  const md = renderReport(
    [
      {
        area: 'crypto',
        rows: [
          row('open 1 KB record', 9232.4, 'records/s', true, { name: 'bare decrypt', value: 185391 }),
          row('open 300 KB image', 700, 'records/s', true, { name: 'bare | decrypt', value: 1000 }),
        ],
        machine,
        notes: 'Limited by the WASM build.',
        failed: { exitCode: 1, tail: 'boom' },
      },
    ],
    t,
  );
  it('summarises met, missed and unmeasured targets', () => {
    expect(md).toContain('**Targets:** 0 met, 2 missed, 1 not measured.');
    expect(md).toContain('| crypto | open 1 KB record (vs bare decrypt) | ≥ 20000 | 9232.4 | missed |');
    expect(md).toContain('| crypto | ^never measured | ≤ 1 | — | not measured |');
  });
  it('prints each figure with its comparison, ratio and verdict, escaping table pipes', () => {
    expect(md).toContain(
      '| open 1 KB record | 9232.4 records/s | bare decrypt | 185391 | 0.05 | ≥ 20000: **missed** |',
    );
    expect(md).toContain(
      '| open 300 KB image | 700 records/s | bare \\| decrypt | 1000 | 0.7 | ratio ≥ 0.9: **missed** |',
    );
  });
  it('states the machine, the load, a failed run and the notes', () => {
    expect(md).toContain(
      'Run 2026-12-06 21:00 UTC at commit abc1234 on Test CPU, 2 cores, 24 GiB, Node 20.19.0; load 2.5 at the end.',
    );
    expect(md).toContain('failed (exit 1)');
    expect(md).toContain('Limited by the WASM build.');
  });
});
