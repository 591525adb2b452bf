/**
 * Counts the core device events the X RECORD extension delivers with the
 * rules input-hook-child.mjs applies to uiohook's events (libuiohook reads
 * the same RECORD stream on X11), so both sources count alike:
 *
 *   KeyRelease           one key press (auto-repeat sends many presses, one release)
 *   KeyPress             makes the second active, counts nothing
 *   ButtonPress 4-7      one scroll step (X11 wheel notches are buttons)
 *   ButtonPress other    one click
 *   MotionNotify         one mouse move (with a button held too, as uiohook reports it)
 *
 * Privacy: only byte 0 (the event type) and, for a button, byte 1 (its
 * number) are read; a key event's code byte is never looked at.
 */

export interface InputTick {
  t: 'tick';
  k: number;
  c: number;
  m: number;
  w: number;
}

const KEY_PRESS = 2;
const KEY_RELEASE = 3;
const BUTTON_PRESS = 4;
const MOTION_NOTIFY = 6;
/** First and last core event types RECORD is asked for (device events). */
export const RECORDED_EVENTS = { first: KEY_PRESS, last: MOTION_NOTIFY } as const;
const EVENT_SIZE = 32;

export class XRecordCounter {
  private keys = 0;
  private clicks = 0;
  private moves = 0;
  private scrolls = 0;
  private active = false;

  /** One RECORD reply's data: whole 32-byte core events, no element headers. */
  count(data: Uint8Array): void {
    for (let off = 0; off + EVENT_SIZE <= data.length; off += EVENT_SIZE) {
      // the top bit marks an event sent by SendEvent: still the same type
      const type = data[off]! & 0x7f;
      if (type === KEY_PRESS) this.active = true;
      else if (type === KEY_RELEASE) {
        this.keys += 1;
        this.active = true;
      } else if (type === BUTTON_PRESS) {
        const button = data[off + 1]!;
        if (button >= 4 && button <= 7) this.scrolls += 1;
        else this.clicks += 1;
        this.active = true;
      } else if (type === MOTION_NOTIFY) {
        this.moves += 1;
        this.active = true;
      }
    }
  }

  /** The second's counts, or undefined for a second without input; starts the next second. */
  take(): InputTick | undefined {
    if (!this.active) return undefined;
    const tick: InputTick = { t: 'tick', k: this.keys, c: this.clicks, m: this.moves, w: this.scrolls };
    this.keys = this.clicks = this.moves = this.scrolls = 0;
    this.active = false;
    return tick;
  }
}
