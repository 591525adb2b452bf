// What main hands the privacy centre: every record, problems in words, the
// newest screenshots as data: URLs only when verified and of a known format.
import { describe, expect, it } from 'vitest';
import type { OwnDataExport } from '../export/export-own-data.js';
import { kindsText, recordLine, recordedView } from './privacy-view.js';

const data: OwnDataExport = {
  format: 'sealtime-own-data-export',
  v: 1,
  exportedAt: 5,
  deviceId: 'dev-1',
  employeeId: 'emp-1',
  records: [
    { seq: 2, kind: 'class:hr', createdAt: 3000, error: { code: 'not-a-recipient', message: 'sealed for HR only' } },
    {
      seq: 0,
      kind: 'activity-slot',
      createdAt: 1000,
      payload: {
        v: 1,
        start: 1000,
        slotSeconds: 600,
        activeSeconds: 540,
        keyPresses: 412,
        clicks: 80,
        mouseMoves: 9,
        scrolls: 0,
      },
    },
    {
      seq: 1,
      kind: 'screenshot',
      createdAt: 2000,
      payload: { v: 1, format: 'webp', screen: 0, width: 1280, height: 800, blurred: true, blobId: 'b' },
      image: { blobId: 'b', verified: true, data: 'AAAA' },
    },
    {
      seq: 3,
      kind: 'screenshot',
      createdAt: 4000,
      payload: { v: 1, format: 'webp', screen: 1, width: 10, height: 10, blurred: false, blobId: 'c' },
      image: {
        blobId: 'c',
        verified: false,
        problem: 'the stored image is not the one its record names',
        data: 'AAAA',
      },
    },
    {
      seq: 4,
      kind: 'screenshot',
      createdAt: 5000,
      payload: { v: 1, format: 'svg+xml', screen: 0, width: 1, height: 1, blurred: false, blobId: 'd' },
      image: { blobId: 'd', verified: true, data: 'AAAA' },
    },
  ],
  chain: { ok: true, verified: 5, issues: [] },
  summary: {
    records: 5,
    readable: 4,
    byKind: { screenshot: 3, 'activity-slot': 1, 'class:hr': 1 },
    images: 3,
    imagesVerified: 2,
  },
};

describe('recorded view', () => {
  const v = recordedView(data);
  it('keeps every record in seq order with its payload', () => {
    expect(v.records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(v.records[0]!.payload).toEqual(data.records[1]!.payload);
    expect(v.records[2]).toMatchObject({
      payload: null,
      problem: 'This record could not be opened with your key: sealed for HR only',
    });
  });

  it('passes images only verified and of a known format, as data: URLs', () => {
    expect(v.records[1]!.image).toEqual({ verified: true, src: 'data:image/webp;base64,AAAA' });
    expect(v.records[3]!.image).toEqual({ verified: false, src: null });
    expect(v.records[3]!.problem).toBe(
      'The stored image does not match this record (the stored image is not the one its record names)',
    );
    expect(v.records[4]!.image).toEqual({ verified: true, src: null });
  });

  it('describes records in words', () => {
    expect(kindsText(data.summary.byKind)).toBe('3 screenshots, 1 activity slot, 1 not readable with your key');
    expect(recordLine(v.records[0]!)).toBe('Activity: 412 key presses, 80 clicks, active 9 of 10 min');
    expect(recordLine(v.records[1]!)).toBe('Screenshot: screen 1, 1280×800, blurred');
    expect(recordLine(v.records[2]!)).toBe('Sealed record: not readable');
  });
});
