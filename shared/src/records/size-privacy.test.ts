// What the server can read from a stored record (issue 15, part 4): every kind,
// sealed with realistic variations, shows only its routing class, the hour and
// a size that depends on the padding bucket and the clear header alone.
// Buckets are padmé's since issue 16: what that tells more is stated below.
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, paddedSize } from '../envelope/index.js';
import { contentLength, legacyPaddedSize } from '../envelope/sealed-content.js';
import { RECORD_KINDS, KIND_CLASS, CLASS_ROLES, RECIPIENTS } from './index.js';
import { HOUR, sealedVariantsFixture } from './test-support/record-variants.js';

const sealAll = sealedVariantsFixture();

describe('what the server sees of a record (envelope version 2)', () => {
  it('the routing classes keep the recipient rules: kinds of one class share their reviewing roles', () => {
    for (const kind of RECORD_KINDS) {
      const reviewing = RECIPIENTS[kind].filter((r) => r !== 'employee').sort();
      expect(reviewing, kind).toEqual([...CLASS_ROLES[KIND_CLASS[kind]]].sort());
    }
  });

  it('within each size bucket every kind and variation has the same size; the clear fields hold no kind and no exact time', () => {
    const sealed = sealAll(2);
    const byBucket = new Map<number, Array<(typeof sealed)[number]>>();
    for (const r of sealed) {
      const d = decodeEnvelope(r.bytes);
      if (!d.ok) throw new Error(d.error.message);
      const e = d.value.envelope;
      const bucket = e.ciphertext.length - 16;
      expect(paddedSize(bucket), `${r.kind} ${r.label}`).toBe(bucket);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), r]);

      // the stored document: exactly these fields, a class, a whole hour
      expect(Object.keys(r.doc).sort()).toEqual([
        'bytes',
        'class',
        'deviceId',
        'employeeId',
        'envelope',
        'hour',
        'id',
        'seq',
      ]);
      expect(r.doc.class).toBe(KIND_CLASS[r.kind]);
      expect(r.doc.hour).toBe(Math.floor(r.createdAt / HOUR) * HOUR);
      expect(r.doc.hour).not.toBe(r.createdAt);
      // the clear part of the envelope (everything but ciphertext and signature) names no kind and no ms time
      const clear = Buffer.from(d.value.aad).toString('latin1');
      if (r.kind !== r.doc.class) expect(clear.includes(r.kind), `${r.kind} in the clear header`).toBe(false);
      const ms = Buffer.alloc(8);
      ms.writeBigUInt64BE(BigInt(r.createdAt));
      expect(Buffer.from(d.value.aad).includes(ms)).toBe(false);
      expect('kind' in e || 'createdAt' in e).toBe(false);
    }
    if (process.env.PRINT_BUCKETS)
      for (const [b, rs] of byBucket)
        console.log(
          `bucket ${b}: ${rs.map((r) => `${r.kind}/${r.label} plain=${r.plainBytes} env=${r.doc.bytes}`).join('; ')}`,
        );
    // one bucket holds almost everything, including kinds of every class
    const smallest = byBucket.get(256)!;
    expect(new Set(smallest.map((r) => r.kind)).size).toBeGreaterThanOrEqual(10);
    for (const [bucket, rs] of byBucket) {
      // the size depends on the bucket and the clear header only (class label, ids, recipients)
      const sizes = new Set(rs.map((r) => r.doc.bytes - r.doc.class.length));
      expect(sizes.size, `bucket ${bucket}: ${rs.map((r) => `${r.kind}/${r.label}=${r.doc.bytes}`).join(', ')}`).toBe(
        1,
      );
    }
    // the examples from the issue: clock-in vs break-start, titles of any length up to the bucket
    const size = (kind: string, label: string) => sealed.find((r) => r.kind === kind && r.label === label)!.doc.bytes;
    expect(size('attendance', 'clock-in/agent')).toBe(size('attendance', 'break-start/agent'));
    expect(
      new Set(['title 0', 'title 1', 'title 7', 'title 30', 'title 64', 'title 120'].map((l) => size('app-event', l)))
        .size,
    ).toBe(1);
    expect(size('app-event', 'title 400 + url')).toBeGreaterThan(size('app-event', 'title 0'));

    // What the padmé buckets (issue 16) tell beyond the power-of-two ones they replaced: above 256 B the
    // content length rounded up to 1/16 of its power of two (1/32 from 64 KiB), i.e. 4-5 bits within the
    // doubling where the old buckets told only the doubling; in exchange at most 6.25 % padding, not ~100 %.
    for (const [bucket, rs] of byBucket) {
      if (bucket === 256) continue;
      for (const r of rs) {
        const used = contentLength(r.kind, r.plainBytes);
        expect(bucket, `${r.kind} ${r.label}`).toBe(paddedSize(used));
        expect(bucket / used, `${r.kind} ${r.label}`).toBeLessThanOrEqual(1.0625);
        expect(legacyPaddedSize(used) / used, `${r.kind} ${r.label}`).toBeGreaterThan(1.3);
      }
    }
    // these two shared the old 512 B bucket; now their sizes differ, as do a long title and a key ring (old 1 KiB)
    expect(size('screenshot', 'with app')).not.toBe(size('correction-request', 'long reason'));
    expect(size('app-event', 'title 400 + url')).not.toBe(size('keyring', 'org'));
  });

  it('version 1 (the old format) told kinds apart by size; version 2 does not', () => {
    const v1 = sealAll(1);
    const size = (kind: string, label: string) => v1.find((r) => r.kind === kind && r.label === label)!.bytes.length;
    expect(size('attendance', 'clock-in/agent')).not.toBe(size('attendance', 'break-start/agent'));
    expect(size('app-event', 'title 0')).not.toBe(size('app-event', 'title 30'));
  });
});
