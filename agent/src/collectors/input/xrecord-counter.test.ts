import { describe, it, expect } from 'vitest';
import { XRecordCounter } from './xrecord-counter.js';

/** Core events as RECORD delivers them: 32 bytes each, type in byte 0, detail in byte 1. */
function events(...list: Array<[type: number, detail: number]>): Buffer {
  const b = Buffer.alloc(32 * list.length);
  list.forEach(([type, detail], i) => {
    b[i * 32] = type;
    b[i * 32 + 1] = detail;
  });
  return b;
}

describe('XRecordCounter', () => {
  it('counts releases as key presses, buttons 4-7 as scroll steps, other buttons as clicks, every motion as a move', () => {
    const c = new XRecordCounter();
    // a key held (auto-repeat: presses, one release), a click, a wheel notch each way, moves
    c.count(events([2, 38], [2, 38], [2, 38], [3, 38], [4, 1], [5, 1], [4, 4], [4, 5], [4, 6], [4, 7], [6, 0], [6, 0]));
    // a drag: motion with the button held is still a move (what the shipped uiohook reports)
    c.count(events([4, 3], [6, 0], [5, 3]));
    // a SendEvent flag in the top bit does not change the type
    c.count(events([0x83, 40]));
    expect(c.take()).toEqual({ t: 'tick', k: 2, c: 2, m: 3, w: 4 });
    expect(c.take()).toBeUndefined();
  });

  it('a second with only a key going down is active but counts nothing; a partial event is ignored', () => {
    const c = new XRecordCounter();
    c.count(events([2, 50]));
    c.count(Buffer.from([3, 50, 0, 0]));
    expect(c.take()).toEqual({ t: 'tick', k: 0, c: 0, m: 0, w: 0 });
  });
});
