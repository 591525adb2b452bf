/**
 * The one typed API between the admin core (keys, replica, decryption) and the
 * renderer (React). Both transports — the loopback WebSocket behind
 * `sealtime-admin ui` and Electron IPC — carry exactly these requests and
 * subscriptions, and both ends validate what crosses (api-guards.ts).
 *
 * No electron, no Node imports: the renderer imports this file. Keys never
 * cross it; the renderer receives view models and one-time image URLs only.
 */
import { AUDIT_CONTRACT, type AuditRequests, type AuditSubscriptions } from './contracts/audit-contract.js';
import {
  CORRECTIONS_CONTRACT,
  type CorrectionsRequests,
  type CorrectionsSubscriptions,
} from './contracts/corrections-contract.js';
import type { ApiError } from './contracts/api-error.js';
import type { RequestRule, SubscriptionRule } from './contracts/contract-kit.js';
import { POLICIES_CONTRACT, type PoliciesRequests, type PoliciesSubscriptions } from './contracts/policies-contract.js';
import {
  FIRST_RUN_CONTRACT,
  type FirstRunRequests,
  type FirstRunSubscriptions,
} from './contracts/first-run-contract.js';
import { OUTBOX_CONTRACT, type OutboxRequests, type OutboxSubscriptions } from './contracts/outbox-contract.js';
import {
  PEOPLE_ADMIN_CONTRACT,
  type PeopleAdminRequests,
  type PeopleAdminSubscriptions,
} from './contracts/people-admin-contract.js';
import { PRIVACY_CONTRACT, type PrivacyRequests, type PrivacySubscriptions } from './contracts/privacy-contract.js';
import { REVIEW_CONTRACT, type ReviewRequests, type ReviewSubscriptions } from './contracts/review-contract.js';
import {
  SCHEDULES_CONTRACT,
  type SchedulesRequests,
  type SchedulesSubscriptions,
} from './contracts/schedules-contract.js';
import { PROJECTS_CONTRACT, type ProjectsRequests, type ProjectsSubscriptions } from './contracts/projects-contract.js';
import { SESSION_CONTRACT, type SessionRequests, type SessionSubscriptions } from './contracts/session-contract.js';
import {
  MANUAL_TIME_CONTRACT,
  type ManualTimeRequests,
  type ManualTimeSubscriptions,
} from './contracts/manual-time-contract.js';
export type { ManualDecisionValue, ManualTimeQueue, ManualTimeRow } from './contracts/manual-time-contract.js';
import {
  PRODUCTIVITY_CONTRACT,
  type ProductivityRequests,
  type ProductivitySubscriptions,
} from './contracts/productivity-contract.js';

export type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from './view-types.js';
export {
  API_ERROR_CODES,
  ApiRequestError,
  isApiError,
  type ApiError,
  type ApiErrorCode,
} from './contracts/api-error.js';
export type { DatabaseSyncStatus, Role, SessionState, SyncStatusValue } from './contracts/session-contract.js';
export type { AttendanceScope, Person } from './contracts/review-contract.js';
export type { CorrectionDecisionValue, DecideCorrectionResult } from './contracts/corrections-contract.js';
export type {
  PolicyChange,
  PolicyEdit,
  PolicyLayerLevel,
  PolicyPreview,
  PolicyPublishResult,
  PolicyScope,
  PolicyScopeView,
  PolicySettingSpec,
  PolicySettingView,
  PolicyTargets,
  PolicyValue,
} from './contracts/policies-contract.js';
export type { AuditPage, AuditQuery, AuditRow } from './contracts/audit-contract.js';
export type { OutboxItemView } from './contracts/outbox-contract.js';
export { MIN_PASSPHRASE, type RecoveryKeyView, type SetupOrganisationResult } from './contracts/first-run-contract.js';
export type {
  AccountRoleName,
  AccountRow,
  DeviceRow,
  EnrollmentCodeResult,
  InviteUserResult,
  PeopleAdminView,
  TeamRow,
} from './contracts/people-admin-contract.js';
export type {
  EffectiveScheduleRow,
  ScheduleBook,
  ScheduleLayerView,
  SchedulePublishResult,
} from './contracts/schedules-contract.js';
export type { ProjectBook, ProjectSaveResult, ProjectView } from './contracts/projects-contract.js';
export type {
  DeleteScreenshotsResult,
  EraseResult,
  PrivacyExport,
  PrivacySummary,
} from './contracts/privacy-contract.js';

// ── the API table: one contract file per feature (contracts/), joined here ──

/** Request name → params and result. */
export interface AdminRequests
  extends
    SessionRequests,
    ReviewRequests,
    CorrectionsRequests,
    PoliciesRequests,
    AuditRequests,
    OutboxRequests,
    FirstRunRequests,
    PeopleAdminRequests,
    PrivacyRequests,
    SchedulesRequests,
    ProjectsRequests,
    ManualTimeRequests,
    ProductivityRequests {}

/** Subscription name → params and the value pushed on every change. */
export interface AdminSubscriptions
  extends
    SessionSubscriptions,
    ReviewSubscriptions,
    CorrectionsSubscriptions,
    PoliciesSubscriptions,
    AuditSubscriptions,
    OutboxSubscriptions,
    FirstRunSubscriptions,
    PeopleAdminSubscriptions,
    PrivacySubscriptions,
    SchedulesSubscriptions,
    ProjectsSubscriptions,
    ManualTimeSubscriptions,
    ProductivitySubscriptions {}

/** Every request's rule (a missing one is a type error). */
export const REQUEST_RULES: { [N in RequestName]: RequestRule } = {
  ...SESSION_CONTRACT.requests,
  ...REVIEW_CONTRACT.requests,
  ...CORRECTIONS_CONTRACT.requests,
  ...POLICIES_CONTRACT.requests,
  ...AUDIT_CONTRACT.requests,
  ...OUTBOX_CONTRACT.requests,
  ...FIRST_RUN_CONTRACT.requests,
  ...PEOPLE_ADMIN_CONTRACT.requests,
  ...PRIVACY_CONTRACT.requests,
  ...SCHEDULES_CONTRACT.requests,
  ...PROJECTS_CONTRACT.requests,
  ...MANUAL_TIME_CONTRACT.requests,
  ...PRODUCTIVITY_CONTRACT.requests,
};

export const SUBSCRIPTION_RULES: { [N in SubscriptionName]: SubscriptionRule } = {
  ...SESSION_CONTRACT.subscriptions,
  ...REVIEW_CONTRACT.subscriptions,
  ...CORRECTIONS_CONTRACT.subscriptions,
  ...POLICIES_CONTRACT.subscriptions,
  ...AUDIT_CONTRACT.subscriptions,
  ...OUTBOX_CONTRACT.subscriptions,
  ...FIRST_RUN_CONTRACT.subscriptions,
  ...PEOPLE_ADMIN_CONTRACT.subscriptions,
  ...PRIVACY_CONTRACT.subscriptions,
  ...SCHEDULES_CONTRACT.subscriptions,
  ...PROJECTS_CONTRACT.subscriptions,
  ...MANUAL_TIME_CONTRACT.subscriptions,
  ...PRODUCTIVITY_CONTRACT.subscriptions,
};

export type RequestName = keyof AdminRequests;
export type SubscriptionName = keyof AdminSubscriptions;
export type RequestParams<N extends RequestName> = AdminRequests[N]['params'];
export type RequestResult<N extends RequestName> = AdminRequests[N]['result'];
export type SubscriptionParams<N extends SubscriptionName> = AdminSubscriptions[N]['params'];
export type SubscriptionValue<N extends SubscriptionName> = AdminSubscriptions[N]['value'];

export const REQUEST_NAMES = Object.keys(REQUEST_RULES) as readonly RequestName[];
export const SUBSCRIPTION_NAMES = Object.keys(SUBSCRIPTION_RULES) as readonly SubscriptionName[];

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
