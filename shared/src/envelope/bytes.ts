/**
 * Big-endian binary writer/reader for the envelope format. The reader never
 * throws: every read returns undefined past the end and records where, so the
 * decoder can turn it into a typed `truncated` error.
 */
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Strict UTF-8 decode: undefined for invalid sequences instead of U+FFFD. */
export function fromUtf8(b: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(b);
  } catch {
    return undefined;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Lexicographic order of two byte strings (the order toHex strings sort in), without building strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** ASCII bytes as a string; undefined when any byte is not ASCII (then callers fall back to strict UTF-8). */
export function fromAscii(b: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c > 0x7f) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  u8(v: number): this {
    this.chunks.push(Uint8Array.of(v & 0xff));
    return this;
  }
  u16(v: number): this {
    this.chunks.push(Uint8Array.of((v >>> 8) & 0xff, v & 0xff));
    return this;
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0);
    this.chunks.push(b);
    return this;
  }
  /** Safe integers only (< 2^53): sequence numbers and milliseconds. */
  u64(v: number): this {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, Math.floor(v / 2 ** 32));
    dv.setUint32(4, v >>> 0);
    this.chunks.push(b);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    return this;
  }
  /** u8 length prefix + UTF-8. */
  shortString(s: string): this {
    const b = utf8(s);
    return this.u8(b.length).bytes(b);
  }
  finish(): Uint8Array {
    return concatBytes(this.chunks);
  }
}

export class ByteReader {
  offset = 0;
  constructor(readonly buf: Uint8Array) {}
  get remaining(): number {
    return this.buf.length - this.offset;
  }
  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.buf[this.offset++];
  }
  u16(): number | undefined {
    if (this.remaining < 2) return undefined;
    const v = (this.buf[this.offset]! << 8) | this.buf[this.offset + 1]!;
    this.offset += 2;
    return v;
  }
  u32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const v = this.be32(this.offset);
    this.offset += 4;
    return v;
  }
  /** undefined past the end or when the value would not be a safe integer. */
  u64(): number | undefined {
    if (this.remaining < 8) return undefined;
    const hi = this.be32(this.offset);
    const lo = this.be32(this.offset + 4);
    this.offset += 8;
    if (hi >= 2 ** 21) return Number.NaN;
    return hi * 2 ** 32 + lo;
  }
  /** Big-endian u32 by arithmetic: a DataView per field was a measurable share of decoding a small envelope. */
  private be32(at: number): number {
    const b = this.buf;
    return b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
  }
  bytes(n: number): Uint8Array | undefined {
    if (n < 0 || this.remaining < n) return undefined;
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
}
