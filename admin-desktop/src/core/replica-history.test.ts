// The id ranges the history pass reads after a cold replica's recent window.
import { describe, expect, it } from 'vitest';
import { recordDocId } from '@sealtime/shared';
import { uncoveredRanges } from './replica-history.js';

describe('uncoveredRanges', () => {
  it('without a window: everything but the design documents, in two ranges', () => {
    expect(uncoveredRanges(new Map())).toEqual([
      { from: '', to: '_design/' },
      { from: '_design0', to: null },
    ]);
  });

  it("leaves out each device's range from its lowest stored id up to its media range, and nothing else", () => {
    const covered = new Map([
      ['b7', 'b7:000000000120'],
      ['0a', '0a:000000000005'],
      ['c1', 'c1:000000000001'],
    ]);
    expect(uncoveredRanges(covered)).toEqual([
      { from: '', to: '0a:000000000005' },
      { from: '0a:m', to: '_design/' },
      { from: '_design0', to: 'b7:000000000120' },
      { from: 'b7:m', to: 'c1:000000000001' },
      { from: 'c1:m', to: null },
    ]);
  });

  it("reads every media record (screenshots), the covered device's newest included", () => {
    const covered = new Map([['0a', '0a:000000000005']]);
    const ranges = uncoveredRanges(covered);
    const read = (id: string) => ranges.some((r) => id >= r.from && (r.to === null || id < r.to));
    expect(read(recordDocId('0a', 4, 'media'))).toBe(true);
    expect(read(recordDocId('0a', 900, 'media'))).toBe(true);
    expect(read(recordDocId('0a', 4))).toBe(true);
    expect(read(recordDocId('0a', 5))).toBe(false);
    expect(read(recordDocId('0a', 900))).toBe(false);
  });
});
