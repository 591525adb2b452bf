/**
 * One display's pixels read from the X server (core GetImage of the root
 * window, over the x11 package's connection) instead of through ImageMagick
 * `import`: no ~21 MB child process, and no PNG for it to write and for sharp
 * to decode again. The pixels come out as tightly packed 8-bit RGB, what
 * sharp's raw input takes.
 *
 * The image is read in bands of rows so the X replies held at once stay small
 * (a full 1920×1080 reply is 8 MB, and the client copies it once more while
 * reassembling); only the RGB result is full size.
 */
import { connectX, type XConnection } from '../x11-connection.js';

export interface RawImage {
  kind: 'raw';
  /** width × height × 3 bytes, RGB, rows top to bottom. */
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/** The root visual can't be turned into 8-bit RGB here (not TrueColor/DirectColor at 24 or 32 bpp). */
export class UnsupportedVisualError extends Error {}

const BAND_BYTES = 256 * 1024;

interface Channel {
  shift: number;
}

/** The lowest bit of an 8-bit-wide mask (0x00ff0000 → 16); undefined for any other mask shape. */
function channelOf(mask: number): Channel | undefined {
  for (let shift = 0; shift <= 24; shift += 1) if (mask >>> 0 === (0xff << shift) >>> 0) return { shift };
  return undefined;
}

interface PixelLayout {
  bytesPerPixel: 4;
  stride: (width: number) => number;
  lsb: boolean;
  r: Channel;
  g: Channel;
  b: Channel;
}

export function pixelLayout(conn: XConnection): PixelLayout {
  const { screen } = conn;
  const visual = screen.depths[String(screen.root_depth)]?.[String(screen.root_visual)];
  const format = conn.pixmapFormat(screen.root_depth);
  // TrueColor (4) or DirectColor (5) with 8 bits per channel in a 32-bit pixel: every desktop X server today
  if (!visual || (visual.class !== 4 && visual.class !== 5) || !format || format.bitsPerPixel !== 32)
    throw new UnsupportedVisualError(
      `root visual class ${visual?.class} at ${format?.bitsPerPixel} bits per pixel is not supported`,
    );
  const r = channelOf(visual.red_mask);
  const g = channelOf(visual.green_mask);
  const b = channelOf(visual.blue_mask);
  if (!r || !g || !b) throw new UnsupportedVisualError('root visual has channels that are not 8 bits wide');
  const padBytes = format.scanlinePad / 8;
  return {
    bytesPerPixel: 4,
    stride: (width) => Math.ceil((width * 4) / padBytes) * padBytes,
    lsb: conn.imageByteOrder === 'lsb',
    r,
    g,
    b,
  };
}

/** Packs `rows` rows of ZPixmap bytes into RGB at `out[offset..]`. */
export function zpixmapToRgb(
  src: Buffer,
  layout: PixelLayout,
  width: number,
  rows: number,
  out: Buffer,
  offset: number,
): void {
  const stride = layout.stride(width);
  if (src.length < stride * (rows - 1) + width * 4)
    throw new Error(`GetImage returned ${src.length} bytes for ${rows} rows of ${width} pixels`);
  const rs = layout.r.shift;
  const gs = layout.g.shift;
  const bs = layout.b.shift;
  let o = offset;
  for (let y = 0; y < rows; y += 1) {
    let i = y * stride;
    for (let x = 0; x < width; x += 1, i += 4) {
      const p = layout.lsb ? src.readUInt32LE(i) : src.readUInt32BE(i);
      out[o++] = (p >>> rs) & 0xff;
      out[o++] = (p >>> gs) & 0xff;
      out[o++] = (p >>> bs) & 0xff;
    }
  }
}

/** The rectangle (x, y, width, height) of the root window as RGB, over a connection of its own. */
export async function grabX11(
  display: string,
  rect: { x: number; y: number; width: number; height: number },
): Promise<RawImage> {
  const conn = await connectX(display);
  let lost: string | undefined;
  conn.onClose((reason) => (lost = reason));
  try {
    const layout = pixelLayout(conn);
    const { x, y, width, height } = rect;
    const out = Buffer.allocUnsafe(width * height * 3);
    const band = Math.max(1, Math.floor(BAND_BYTES / layout.stride(width)));
    for (let row = 0; row < height; row += band) {
      const rows = Math.min(band, height - row);
      const img = await conn.image(x, y + row, width, rows);
      zpixmapToRgb(img.data, layout, width, rows, out, row * width * 3);
    }
    if (lost && lost !== 'closed by the agent') throw new Error(`the X connection broke during the grab: ${lost}`);
    return { kind: 'raw', data: out, width, height, channels: 3 };
  } finally {
    conn.close();
  }
}
