/**
 * The one typed API between the admin core (keys, replica, decryption) and the
 * renderer (React). Both transports — the loopback WebSocket behind
 * `sealtime-admin ui` and Electron IPC — carry exactly these requests and
 * subscriptions, and both ends validate what crosses (api-guards.ts).
 *
 * No electron, no Node imports: the renderer imports this file. Keys never
 * cross it; the renderer receives view models and one-time image URLs only.
 */
import type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from './view-types.js';

export type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from './view-types.js';

// ── errors ──

export const API_ERROR_CODES = [
  'wrong-passphrase', //    the key ring did not open with this passphrase
  'wrong-credentials', //   the server refused the user id / password
  'totp-required', //       the server asks for a one-time code
  'server-unreachable', //  network or TLS failure; the replica still answers
  'session-expired', //     the server ended the session: sign in again
  'not-signed-in', //       no session yet
  'locked', //              the keys are locked: unlock first
  'forbidden', //           the role may not do this
  'invalid-input', //       a request or its parameters are malformed
  'not-found', //           no such person, record or image
  'integrity', //           a record or image failed its signature or hash check
  'internal', //            anything else (the message says what)
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: ApiErrorCode;
  /** Human, says what to do; never secrets or plaintext. */
  message: string;
}

// ── session and sync ──

export type Role = 'admin' | 'super-admin' | 'manager' | 'hr';

export type SessionState =
  | { state: 'signed-out' }
  | { state: 'locked'; server: string; user: string; role: string }
  | { state: 'unlocked'; server: string; user: string; role: string; teams: string[]; orgId: string }
  | { state: 'error'; error: ApiError };

export interface DatabaseSyncStatus {
  /** Server database name, e.g. st-org-records. */
  db: string;
  /** Documents pulled into the local replica since it was created. */
  pulled: number;
  lastSyncAt: number | null;
  online: boolean;
  lastError: { message: string; at: number } | null;
}

export interface SyncStatusValue {
  databases: DatabaseSyncStatus[];
  /** Records in the replica no key of this role can open (counted, never shown). */
  cannotOpen: number;
  /** Actions waiting to be sent (e.g. correction decisions made offline). */
  outbox: number;
}

// ── people and actions ──

export interface Person {
  employeeId: string;
  displayName: string;
  teamId: string | null;
}

export type CorrectionDecisionValue = 'approved' | 'rejected';

export interface DecideCorrectionResult {
  /** 'sent': the server has it; 'queued': stored locally, waiting to sync. */
  status: 'sent' | 'queued';
}

export type AttendanceScope = { employeeId: string } | { teamId: string };

// ── the API table ──

/** Request name → params and result. */
export interface AdminRequests {
  signIn: { params: { serverUrl: string; user: string; password: string; totp?: string }; result: SessionState };
  unlock: { params: { passphrase: string }; result: SessionState };
  lock: { params: Record<string, never>; result: SessionState };
  signOut: { params: Record<string, never>; result: SessionState };
  people: { params: Record<string, never>; result: Person[] };
  /** A one-time URL (served by the ui server / app protocol) for a decrypted image. */
  screenshotUrl: { params: { recordId: string; size: 'thumb' | 'full' }; result: { url: string } };
  decideCorrection: {
    params: { requestId: string; employeeId: string; decision: CorrectionDecisionValue; comment?: string };
    result: DecideCorrectionResult;
  };
}

/** Subscription name → params and the value pushed on every change. */
export interface AdminSubscriptions {
  session: { params: Record<string, never>; value: SessionState };
  sync: { params: Record<string, never>; value: SyncStatusValue };
  /** date: YYYY-MM-DD (the reviewer's local time zone). */
  dashboard: { params: { date: string }; value: DashboardView };
  personDay: { params: { employeeId: string; date: string }; value: PersonDayView };
  gallery: { params: { employeeId: string; date: string }; value: GalleryView };
  /** scope: one person or one team; absent: everyone the role reviews. */
  attendance: { params: { scope?: AttendanceScope; from: string; to: string }; value: AttendanceSheetView };
  report: { params: { scope?: AttendanceScope; from: string; to: string; groupBy?: 'person' | 'team' | 'day' }; value: ReportView };
}

export type RequestName = keyof AdminRequests;
export type SubscriptionName = keyof AdminSubscriptions;
export type RequestParams<N extends RequestName> = AdminRequests[N]['params'];
export type RequestResult<N extends RequestName> = AdminRequests[N]['result'];
export type SubscriptionParams<N extends SubscriptionName> = AdminSubscriptions[N]['params'];
export type SubscriptionValue<N extends SubscriptionName> = AdminSubscriptions[N]['value'];

export const REQUEST_NAMES = ['signIn', 'unlock', 'lock', 'signOut', 'people', 'screenshotUrl', 'decideCorrection'] as const satisfies readonly RequestName[];
export const SUBSCRIPTION_NAMES = ['session', 'sync', 'dashboard', 'personDay', 'gallery', 'attendance', 'report'] as const satisfies readonly SubscriptionName[];

export type Unsubscribe = () => void;

/**
 * What the renderer holds: the same shape over both transports.
 * `request` rejects with an ApiRequestError; a subscription's `onError`
 * receives an ApiError (e.g. 'locked') and the subscription stays open.
 */
export interface AdminApi {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>>;
  subscribe<N extends SubscriptionName>(
    name: N,
    params: SubscriptionParams<N>,
    onValue: (value: SubscriptionValue<N>) => void,
    onError?: (error: ApiError) => void,
  ): Unsubscribe;
}

export class ApiRequestError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
  toApiError(): ApiError {
    return { code: this.code, message: this.message };
  }
}

// ── wire messages (WebSocket frames, IPC payloads) ──

export type ClientMessage =
  | { t: 'req'; id: number; name: string; params: unknown }
  | { t: 'sub'; id: number; name: string; params: unknown }
  | { t: 'unsub'; id: number };

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: ApiError }
  | { t: 'val'; id: number; value: unknown }
  | { t: 'err'; id: number; error: ApiError };
