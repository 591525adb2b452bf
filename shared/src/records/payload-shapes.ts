/** Field-by-field rules of each payload kind (current versions). */
import { validateKeyringDoc } from '../keys/keyring-document.js';
import { validatePolicyPatch } from '../policy/validate-policy.js';
import { projectRefProblem } from '../projects/project-ref.js';
import type { Shape } from './check.js';
import type { RecordKind } from './payload-types.js';

const time = { t: 'int', min: 0, max: 8.64e15 } as const;
const count = { t: 'int', min: 0, max: 1_000_000 } as const;
const id = { t: 'string', max: 64, min: 1, pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/ } as const;
const text = (max: number, optional = false) => ({ t: 'string', max, optional }) as const;
/** Bound of a screenshot's sealed thumbnail: 15 KB of WebP (its base64 is 4/3 of that). */
export const MAX_THUMB_BYTES = 15 * 1024;
const MAX_THUMB_CHARS = 4 * Math.ceil(MAX_THUMB_BYTES / 3);
/** Entries a slot's app usage keeps; the rest is summed as appsOtherSeconds. */
export const MAX_SLOT_APPS = 32;
/** Title and URL length inside a slot's app usage (longer ones are cut), so a slot stays small. */
export const MAX_SLOT_TEXT = 256;
/** The tracked project inside a slot, app event or screenshot (optional: absent = nothing tracked). */
const project = {
  t: 'custom',
  optional: true,
  check: (x: unknown) => {
    const problem = projectRefProblem(x);
    return problem && `project: ${problem}`;
  },
} as const;
/** Longest note a manual time entry carries. */
export const MANUAL_NOTE_MAX = 500;
const attendanceTypes = ['clock-in', 'clock-out', 'break-start', 'break-end'] as const;

export const PAYLOAD_SHAPES: Record<RecordKind, Shape> = {
  'activity-slot': {
    // 1: sealed before slots carried app usage (read as sealed); 2: may carry it
    v: { t: 'custom', check: (x) => (x === 1 || x === 2 ? undefined : 'v must be 1 or 2') },
    start: time,
    slotSeconds: { t: 'int', min: 1, max: 3600 },
    activeSeconds: { t: 'int', min: 0, max: 3600 },
    keyPresses: count,
    clicks: count,
    mouseMoves: count,
    scrolls: count,
    apps: {
      t: 'object-list',
      maxItems: MAX_SLOT_APPS,
      optional: true,
      of: {
        app: text(256),
        title: text(MAX_SLOT_TEXT, true),
        url: text(MAX_SLOT_TEXT, true),
        seconds: { t: 'int', min: 1, max: 3600 },
      },
    },
    appsOtherSeconds: { t: 'int', min: 1, max: 3600, optional: true },
    project,
  },
  'app-event': {
    v: { t: 'literal', value: 1 },
    start: time,
    durationMs: { t: 'int', min: 0, max: 7 * 86_400_000 },
    app: text(256),
    title: text(1024, true),
    url: text(2048, true),
    project,
  },
  'idle-period': {
    v: { t: 'literal', value: 1 },
    start: time,
    end: time,
    cause: { t: 'enum', values: ['no-input', 'screen-locked', 'suspended'] },
    decision: { t: 'enum', values: ['pending', 'kept', 'discarded'] },
  },
  screenshot: {
    v: { t: 'literal', value: 1 },
    takenAt: time,
    screen: { t: 'int', min: 0, max: 16 },
    width: { t: 'int', min: 1, max: 16384 },
    height: { t: 'int', min: 1, max: 16384 },
    format: { t: 'enum', values: ['webp', 'jpeg', 'png'] },
    blurred: { t: 'bool' },
    blobId: id,
    blobBytes: { t: 'int', min: 1, max: 16 * 1024 * 1024 },
    blobHash: { t: 'string', max: 64, min: 64, pattern: /^[0-9a-f]{64}$/ },
    app: text(256, true),
    thumb: { t: 'string', max: MAX_THUMB_CHARS, min: 4, pattern: /^[A-Za-z0-9+/]+={0,2}$/, optional: true },
    project,
  },
  attendance: {
    v: { t: 'literal', value: 1 },
    at: time,
    type: { t: 'enum', values: attendanceTypes },
    source: { t: 'enum', values: ['agent', 'manual', 'kiosk', 'correction'] },
    note: text(500, true),
  },
  'correction-request': {
    v: { t: 'literal', value: 1 },
    requestId: id,
    date: { t: 'string', max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/ },
    change: { t: 'enum', values: ['add', 'remove', 'move'] },
    eventType: { t: 'enum', values: attendanceTypes },
    at: { ...time, optional: true },
    target: { ...id, optional: true },
    reason: { t: 'string', max: 1000, min: 1 },
  },
  'correction-decision': {
    v: { t: 'literal', value: 1 },
    requestId: id,
    decision: { t: 'enum', values: ['approved', 'rejected'] },
    decidedBy: id,
    decidedAt: time,
    comment: text(1000, true),
  },
  'device-info': {
    v: { t: 'literal', value: 1 },
    hostname: text(255),
    platform: { t: 'enum', values: ['linux', 'win32', 'darwin'] },
    osVersion: text(128),
    agentVersion: text(64),
    screens: { t: 'int', min: 0, max: 16 },
    timeZone: text(64),
  },
  policy: {
    v: { t: 'literal', value: 1 },
    level: { t: 'enum', values: ['organisation', 'team', 'employee', 'device'] },
    id,
    settings: {
      t: 'custom',
      check: (x) => (validatePolicyPatch(x).ok ? undefined : 'settings is not a valid policy patch'),
    },
    locked: { t: 'string-list', maxItems: 64, maxItem: 64, optional: true },
    issuedAt: time,
  },
  keyring: {
    v: { t: 'literal', value: 1 },
    keyring: {
      t: 'custom',
      check: (x) => {
        const r = validateKeyringDoc(x);
        return r.ok ? undefined : `keyring: ${r.error.message}`;
      },
    },
  },
  audit: {
    v: { t: 'literal', value: 1 },
    at: time,
    actor: id,
    action: { t: 'string', max: 64, min: 1, pattern: /^[a-z][a-z0-9.-]*$/ },
    target: text(256, true),
    details: { t: 'string-map', maxKeys: 32, maxValue: 1000, optional: true },
  },
  'integrity-alert': {
    v: { t: 'literal', value: 1 },
    at: time,
    deviceId: id,
    issue: {
      t: 'enum',
      values: [
        'missing',
        'reordered',
        'altered',
        'forged',
        'fork',
        'broken-link',
        'malformed',
        'clock-jump',
        'dropped-capture',
        'capture-failed',
      ],
    },
    fromSeq: { t: 'int', min: 0, optional: true },
    toSeq: { t: 'int', min: 0, optional: true },
    detail: text(2000),
  },
  'manual-time': {
    v: { t: 'literal', value: 1 },
    entryId: id,
    start: time,
    end: time,
    note: { t: 'string', max: MANUAL_NOTE_MAX, min: 1 },
    project: { t: 'custom', check: projectRefProblem, optional: true },
    approval: { t: 'enum', values: ['none', 'manager', 'hr'] },
  },
};
