import { describe, it, expect } from 'vitest';
import { buildGallery } from './gallery.js';
import { BER, at, shot } from './test-support/opened-records.js';

const ana = { id: 'ana', name: 'Ana', timeZone: BER };

describe('buildGallery', () => {
  it('groups a fall-back day by hour from midnight: two 02:00 hours', () => {
    const records = [
      shot(Date.UTC(2026, 9, 25, 7, 15), { app: 'Code', screen: 1 }), // 08:15 CET
      shot(Date.UTC(2026, 9, 25, 1, 30), { blurred: true, app: 'Bank' }), // 02:30 CET, the second 02:30
      shot(Date.UTC(2026, 9, 25, 0, 30)), // 02:30 CEST, the first
      shot(Date.UTC(2026, 9, 25, 9, 0), { thumb: 'data:image/webp;base64,AA==' }),
      { ...shot(Date.UTC(2026, 9, 25, 9, 5)), integrity: 'bad-signature' },
      shot(Date.UTC(2026, 9, 25, 9, 6), { employee: 'ben' }),
      shot(Date.UTC(2026, 9, 24, 21, 59)), // 23:59 the day before
    ];
    const g = buildGallery({ employee: ana, date: '2026-10-25', timeZone: BER, records });
    // day starts 2026-10-24 22:00Z: 00:30Z is hour 2, 01:30Z hour 3, 07:15Z hour 9, 09:00Z hour 11 (10:00 CET)
    expect(g.hours.map((h) => [h.label, h.shots.map((s) => s.timeLabel)])).toEqual([
      ['02:00', ['02:30:00']],
      ['02:00', ['02:30:00']],
      ['08:00', ['08:15:00']],
      ['10:00', ['10:00:00']],
    ]);
    expect(g.hours[1]!.shots[0]).toMatchObject({
      blurred: true,
      app: 'Bank',
      width: 1920,
      height: 1080,
      format: 'webp',
      blobBytes: 120_000,
    });
    expect(g.hours[3]!.shots[0]!.thumb).toBe('data:image/webp;base64,AA==');
    expect([g.total, g.blurred, g.screens]).toEqual([4, 1, [0, 1]]);
  });

  it('is empty for a day without screenshots', () => {
    expect(buildGallery({ employee: ana, date: '2026-06-01', timeZone: BER, records: [] })).toMatchObject({
      hours: [],
      total: 0,
      blurred: 0,
      screens: [],
    });
  });
});
