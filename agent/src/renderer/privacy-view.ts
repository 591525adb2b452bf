/**
 * What was recorded about the employee, as main hands it to the privacy
 * centre: every record of the export (payload as decoded, or why it did not
 * open), the chain report, and the newest screenshots' images as data: URLs
 * (the page's CSP allows img-src data: and nothing remote). The page builds
 * the day timeline from these records with the admin's view model, so the
 * employee sees what a reviewer sees.
 *
 * Pure and DOM-free: main calls recordedView, tests read it here.
 */
import type { OwnDataExport } from '../export/export-own-data.js';

export interface RecordedItem {
  seq: number;
  /** The sealed kind; `class:<name>` when the record did not open. */
  kind: string;
  createdAt: number;
  /** The decoded payload, exactly as stored; null when it did not open. */
  payload: unknown;
  problem: string | null;
  /** Screenshots: the image checked against its record, and its data: URL when decrypted. */
  image: { verified: boolean; src: string | null } | null;
}

export interface RecordedView {
  exportedAt: number;
  deviceId: string;
  employeeId: string | null;
  summary: {
    records: number;
    readable: number;
    images: number;
    imagesVerified: number;
    byKind: Record<string, number>;
  };
  chain: { ok: boolean; verified: number; issues: string[] };
  /** Oldest first (seq order). */
  records: RecordedItem[];
  /** Decisions on manual time entries: entry id → the approver's word. */
  manualDecisions: Array<{
    entryId: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    decidedAt: number;
    comment?: string;
  }>;
}

/** How many of the newest screenshots main decrypts full size for the page (the saved export has every record). */
export const FULL_IMAGES = 60;

const IMAGE_FORMATS = new Set(['webp', 'jpeg', 'png']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function imageSrc(payload: unknown, data: string | undefined): string | null {
  const format = (payload as { format?: unknown } | null)?.format;
  if (!data || typeof format !== 'string' || !IMAGE_FORMATS.has(format) || !BASE64.test(data)) return null;
  return `data:image/${format};base64,${data}`;
}

export function recordedView(data: OwnDataExport): RecordedView {
  return {
    exportedAt: data.exportedAt,
    deviceId: data.deviceId,
    employeeId: data.employeeId,
    summary: {
      records: data.summary.records,
      readable: data.summary.readable,
      images: data.summary.images,
      imagesVerified: data.summary.imagesVerified,
      byKind: { ...data.summary.byKind },
    },
    chain: {
      ok: data.chain.ok,
      verified: data.chain.verified,
      issues: data.chain.issues.map((i) => JSON.stringify(i).slice(0, 300)),
    },
    manualDecisions: (data.manualDecisions ?? []).map((d) => ({
      entryId: d.requestId,
      decision: d.decision,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt,
      ...(d.comment ? { comment: d.comment } : {}),
    })),
    records: [...data.records]
      .sort((a, b) => a.seq - b.seq)
      .map((r) => {
        const problems = [
          r.error
            ? `${KIND_TEXT[r.kind] ?? 'This record'} could not be opened with your key: ${r.error.message}`
            : null,
          r.image && !r.image.verified
            ? `The stored image does not match this record${r.image.problem ? ` (${r.image.problem})` : ''}`
            : null,
        ].filter((p): p is string => p !== null);
        return {
          seq: r.seq,
          kind: r.kind,
          createdAt: r.createdAt,
          payload: r.payload ?? null,
          problem: problems.length ? problems.join('; ') : null,
          image: r.image
            ? { verified: r.image.verified, src: r.image.verified ? imageSrc(r.payload, r.image.data) : null }
            : null,
        };
      }),
  };
}

export const KIND_TEXT: Record<string, string> = {
  'activity-slot': 'Activity',
  'app-event': 'App use',
  'idle-period': 'Idle period',
  screenshot: 'Screenshot',
  attendance: 'Clock event',
  'correction-request': 'Correction request',
  'device-info': 'Device details',
  'integrity-alert': 'Integrity alert',
  'manual-time': 'Manual time',
};

/** [one, many] as counted in the summary line. */
const KIND_COUNTED: Record<string, [string, string]> = {
  'activity-slot': ['activity slot', 'activity slots'],
  'app-event': ['app use', 'app uses'],
  'idle-period': ['idle period', 'idle periods'],
  screenshot: ['screenshot', 'screenshots'],
  attendance: ['clock event', 'clock events'],
  'correction-request': ['correction request', 'correction requests'],
  'device-info': ['device details', 'device details'],
  'integrity-alert': ['integrity alert', 'integrity alerts'],
};

/** "48 activity slots, 6 screenshots, 4 app uses, 1 idle period" — largest first. */
export function kindsText(byKind: Readonly<Record<string, number>>): string {
  return Object.entries(byKind)
    .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
    .map(([k, n]) => {
      const words = KIND_COUNTED[k];
      return `${n} ${words ? words[n === 1 ? 0 : 1] : k.startsWith('class:') ? 'not readable with your key' : k}`;
    })
    .join(', ');
}

/** When a record happened: its payload's own time (start, at, takenAt), else when it was sealed. */
export function recordTime(item: Pick<RecordedItem, 'payload' | 'createdAt'>): number {
  const p = item.payload as { start?: unknown; at?: unknown; takenAt?: unknown } | null;
  for (const t of [p?.start, p?.at, p?.takenAt]) if (typeof t === 'number' && Number.isFinite(t)) return t;
  return item.createdAt;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** A one-line description of a record for its folded raw view: "Activity: 412 key presses, 80 clicks". */
export function recordLine(item: RecordedItem): string {
  const name = KIND_TEXT[item.kind] ?? (item.kind.startsWith('class:') ? 'Sealed record' : item.kind);
  const p = item.payload as Record<string, unknown> | null;
  if (!p) return `${name}: not readable`;
  switch (item.kind) {
    case 'activity-slot':
      return `${name}: ${p.keyPresses} key presses, ${p.clicks} clicks, active ${Math.round(Number(p.activeSeconds) / 60)} of ${Math.round(Number(p.slotSeconds) / 60)} min`;
    case 'app-event':
      return `${name}: ${String(p.app)} for ${minutes(Number(p.durationMs))}${typeof p.title === 'string' && p.title ? ` — ${p.title}` : ''}`;
    case 'idle-period':
      return `${name}: ${minutes(Number(p.end) - Number(p.start))}, ${String(p.decision)}`;
    case 'screenshot':
      return `${name}: screen ${Number(p.screen) + 1}, ${p.width}×${p.height}${p.blurred ? ', blurred' : ''}`;
    case 'attendance':
      return `${name}: ${String(p.type)}`;
    default:
      return name;
  }
}
