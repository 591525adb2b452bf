/**
 * A person's screenshots of one local day, grouped by local hour (hours
 * counted from local midnight, so the fall-back day has two 02:00 hours and
 * the spring-forward day none). Only intact records are shown.
 */
import { intactOfKind, type OpenedRecord, type ScreenshotWithThumb, type ViewPerson } from './opened-record.js';
import type { ScreenshotThumb } from './person-day.js';
import { thumbnailSrc } from './thumbnail.js';
import { dayBounds } from './slot-grid.js';
import { wallTimeOf, wallTimeSecondsOf } from './wall-clock.js';

export type GalleryShot = ScreenshotThumb & {
  timeLabel: string;
  format: ScreenshotWithThumb['format'];
  blobBytes: number;
};

export type GalleryHour = { start: number; end: number; /** 'HH:mm' local */ label: string; shots: GalleryShot[] };

export type Gallery = {
  employeeId: string;
  employeeName: string;
  date: string;
  timeZone: string;
  /** hours with at least one screenshot, in order */
  hours: GalleryHour[];
  total: number;
  blurred: number;
  screens: number[];
};

export type GalleryInput = { employee: ViewPerson; date: string; timeZone: string; records: readonly OpenedRecord[] };

const HOUR = 3_600_000;

export function buildGallery({ employee, date, timeZone, records }: GalleryInput): Gallery {
  const bounds = dayBounds(date, timeZone);
  const shots: GalleryShot[] = intactOfKind(records, 'screenshot')
    .filter((r) => r.employeeId === employee.id && r.payload.takenAt >= bounds.start && r.payload.takenAt < bounds.end)
    .map((r) => {
      const p = r.payload as ScreenshotWithThumb;
      const thumb = thumbnailSrc(p.thumb);
      return {
        recordId: r.id,
        deviceId: r.deviceId,
        takenAt: p.takenAt,
        label: wallTimeOf(p.takenAt, timeZone),
        timeLabel: wallTimeSecondsOf(p.takenAt, timeZone),
        screen: p.screen,
        width: p.width,
        height: p.height,
        blurred: p.blurred,
        blobId: p.blobId,
        format: p.format,
        blobBytes: p.blobBytes,
        ...(p.app !== undefined ? { app: p.app } : {}),
        ...(thumb !== undefined ? { thumb } : {}),
      };
    })
    .sort((a, b) => a.takenAt - b.takenAt || a.screen - b.screen);

  const hours = new Map<number, GalleryHour>();
  for (const s of shots) {
    const index = Math.floor((s.takenAt - bounds.start) / HOUR);
    const start = bounds.start + index * HOUR;
    const hour = hours.get(index) ?? {
      start,
      end: Math.min(start + HOUR, bounds.end),
      label: wallTimeOf(start, timeZone),
      shots: [],
    };
    hour.shots.push(s);
    hours.set(index, hour);
  }
  return {
    employeeId: employee.id,
    employeeName: employee.name,
    date,
    timeZone,
    hours: [...hours.entries()].sort(([a], [b]) => a - b).map(([, h]) => h),
    total: shots.length,
    blurred: shots.filter((s) => s.blurred).length,
    screens: [...new Set(shots.map((s) => s.screen))].sort((a, b) => a - b),
  };
}
