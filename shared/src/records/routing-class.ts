/**
 * Routing classes: what a version 2 header shows instead of the record kind.
 * The server needs only to know which consolidated databases a record goes
 * to, and that depends only on which reviewing roles are its recipients
 * (RECIPIENTS minus the employee, who reads their own database). So kinds
 * with the same reviewing roles share a class, and the server learns the
 * class, never the kind.
 *
 *   work        organisation + team        activity, apps, idle, policies
 *   attendance  organisation + team + HR   clock-in/out, breaks
 *   correction  organisation + team + HR   correction requests and decisions, manual time
 *   org         organisation only          device info, integrity alerts, key rings, audit
 *   media       organisation + team        screenshots (metadata and thumbnail)
 *
 * `media` has the same roles as `work` but its own id range (collections.ts
 * recordDocIdOf): a screenshot record is ~10× the size of any other, so a
 * reader that needs no thumbnail (the admin app's dashboard window) can
 * list a device's other records by id without downloading one. Screenshots
 * sealed before it (class `work`, or version 1) keep their ids and class.
 *
 * A leaf module (type imports only) so the sealer can use it without pulling
 * in the payload registry. record-kinds.test checks it against RECIPIENTS.
 */
import type { RecordKind } from './payload-types.js';

export const ROUTING_CLASSES = ['work', 'attendance', 'correction', 'org', 'media'] as const;
export type RoutingClass = (typeof ROUTING_CLASSES)[number];

/** The roles a consolidated database exists for; the employee's own database gets everything. */
export type ReviewingRole = 'organisation' | 'team' | 'hr';

export const CLASS_ROLES: Record<RoutingClass, readonly ReviewingRole[]> = {
  work: ['organisation', 'team'],
  // same roles as 'correction' now; kept apart so version 2 headers already stored stay valid
  attendance: ['organisation', 'team', 'hr'],
  correction: ['organisation', 'team', 'hr'],
  org: ['organisation'],
  media: ['organisation', 'team'],
};

/** The kind of the sealed screenshot image in the blobs collection (not a record kind). */
export const SCREENSHOT_IMAGE_KIND = 'screenshot-image';

export const KIND_CLASS: Record<RecordKind, RoutingClass> = {
  'activity-slot': 'work',
  'app-event': 'work',
  'idle-period': 'work',
  screenshot: 'media',
  policy: 'work',
  attendance: 'attendance',
  'correction-request': 'correction',
  'correction-decision': 'correction',
  'device-info': 'org',
  'integrity-alert': 'org',
  keyring: 'org',
  audit: 'org',
  'manual-time': 'correction',
};

export function isRoutingClass(x: unknown): x is RoutingClass {
  return typeof x === 'string' && (ROUTING_CLASSES as readonly string[]).includes(x);
}

/** The class of a record kind or the image kind; undefined for anything else. */
export function routingClassOf(kind: string): RoutingClass | undefined {
  if (kind === SCREENSHOT_IMAGE_KIND) return 'work';
  return Object.prototype.hasOwnProperty.call(KIND_CLASS, kind) ? KIND_CLASS[kind as RecordKind] : undefined;
}

/**
 * The class a version 1 record (kind in its header) is stored and routed
 * under: its kind's class from before `media` existed, so documents stored
 * then (class `work` for a screenshot) still agree with their envelope.
 */
export function v1RoutingClassOf(kind: string): RoutingClass | undefined {
  return kind === 'screenshot' ? 'work' : routingClassOf(kind);
}

/** The classes a reviewing role's consolidated database receives. */
export function classesFor(role: ReviewingRole): RoutingClass[] {
  return ROUTING_CLASSES.filter((c) => CLASS_ROLES[c].includes(role));
}
