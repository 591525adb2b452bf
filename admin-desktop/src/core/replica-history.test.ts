// The id ranges the history pass reads after a cold replica's recent window.
import { describe, expect, it } from 'vitest';
import { uncoveredRanges } from './replica-history.js';

describe('uncoveredRanges', () => {
  it('without a window: everything but the design documents, in two ranges', () => {
    expect(uncoveredRanges(new Map())).toEqual([
      { from: '', to: '_design/' },
      { from: '_design0', to: null },
    ]);
  });

  it("leaves out each device's range from its lowest stored id up, and nothing else", () => {
    const covered = new Map([
      ['b7', 'b7:000000000120'],
      ['0a', '0a:000000000005'],
      ['c1', 'c1:000000000001'],
    ]);
    expect(uncoveredRanges(covered)).toEqual([
      { from: '', to: '0a:000000000005' },
      { from: '0a:\uffff', to: '_design/' },
      { from: '_design0', to: 'b7:000000000120' },
      { from: 'b7:\uffff', to: 'c1:000000000001' },
      { from: 'c1:\uffff', to: null },
    ]);
  });
});
