import { describe, it, expect } from 'vitest';
import { zpixmapToRgb } from './x11-grab.js';

const layout = (lsb: boolean, shifts: [number, number, number], padBytes = 4) => ({
  bytesPerPixel: 4 as const,
  stride: (w: number) => Math.ceil((w * 4) / padBytes) * padBytes,
  lsb,
  r: { shift: shifts[0] },
  g: { shift: shifts[1] },
  b: { shift: shifts[2] },
});

describe('zpixmapToRgb', () => {
  it('unpacks 32-bit pixels of either byte order and any 8-bit channel position into RGB', () => {
    // two pixels: (r,g,b) = (1,2,3) and (250,128,7)
    const px = [
      [1, 2, 3],
      [250, 128, 7],
    ] as const;
    const pack = (lsb: boolean, shifts: [number, number, number]) => {
      const b = Buffer.alloc(8);
      px.forEach(([r, g, bl], i) => {
        const v = ((r << shifts[0]) | (g << shifts[1]) | (bl << shifts[2])) >>> 0;
        if (lsb) b.writeUInt32LE(v, i * 4);
        else b.writeUInt32BE(v, i * 4);
      });
      return b;
    };
    for (const lsb of [true, false])
      for (const shifts of [
        [16, 8, 0],
        [0, 8, 16],
        [24, 16, 8],
      ] as Array<[number, number, number]>) {
        const out = Buffer.alloc(6);
        zpixmapToRgb(pack(lsb, shifts), layout(lsb, shifts), 2, 1, out, 0);
        expect([...out]).toEqual([1, 2, 3, 250, 128, 7]);
      }
  });

  it('skips scanline padding between rows and writes at the offset', () => {
    // 1 pixel wide, 2 rows, rows padded to 8 bytes; BGRX (the usual X layout)
    const src = Buffer.from([3, 2, 1, 0, 0xee, 0xee, 0xee, 0xee, 6, 5, 4, 0]);
    const out = Buffer.alloc(9, 0xaa);
    zpixmapToRgb(src, layout(true, [16, 8, 0], 8), 1, 2, out, 3);
    expect([...out]).toEqual([0xaa, 0xaa, 0xaa, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a reply shorter than the rows asked for', () => {
    expect(() => zpixmapToRgb(Buffer.alloc(7), layout(true, [16, 8, 0]), 2, 1, Buffer.alloc(6), 0)).toThrow(
      /GetImage returned 7 bytes/,
    );
  });
});
