/**
 * Validators for everything that crosses the admin API, run on both ends:
 * the core checks params before it acts (a renderer is not trusted), the
 * renderer checks results and values before it renders. Hand-written guards:
 * each returns the typed value or an ApiError naming the bad field.
 */
import {
  API_ERROR_CODES,
  REQUEST_NAMES,
  SUBSCRIPTION_NAMES,
  type ApiError,
  type ClientMessage,
  type RequestName,
  type RequestParams,
  type RequestResult,
  type ServerMessage,
  type SessionState,
  type SubscriptionName,
  type SubscriptionParams,
  type SubscriptionValue,
} from './admin-api.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const bad = (message: string): { ok: false; error: ApiError } => ({ ok: false, error: { code: 'invalid-input', message } });
const good = <T>(value: T): Checked<T> => ({ ok: true, value });

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, max = 512): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isId = (x: unknown): x is string => typeof x === 'string' && ID.test(x);
const isDate = (x: unknown): x is string => typeof x === 'string' && DATE.test(x) && !Number.isNaN(Date.parse(`${x}T00:00:00Z`));
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Only the listed keys; each check names the field it failed on. */
function fields(x: unknown, spec: Record<string, (v: unknown) => boolean>, optional: readonly string[] = []): string | null {
  if (!isObj(x)) return 'params must be an object';
  for (const k of Object.keys(x)) if (!(k in spec)) return `unknown field ${k}`;
  for (const [k, check] of Object.entries(spec)) {
    if (x[k] === undefined) {
      if (optional.includes(k)) continue;
      return `${k} is required`;
    }
    if (!check(x[k])) return `${k} is not valid`;
  }
  return null;
}

const isScope = (x: unknown): boolean => isObj(x) && Object.keys(x).length === 1 && (isId(x.employeeId) || isId(x.teamId));
const none = {};

const REQUEST_PARAMS: { [N in RequestName]: { spec: Record<string, (v: unknown) => boolean>; optional?: string[] } } = {
  signIn: {
    spec: { serverUrl: (v) => isStr(v, 2048) && /^https?:\/\//.test(v), user: (v) => isStr(v, 128), password: (v) => isStr(v, 1024), totp: (v) => typeof v === 'string' && /^[A-Za-z0-9-]{6,40}$/.test(v) },
    optional: ['totp'],
  },
  unlock: { spec: { passphrase: (v) => isStr(v, 1024) } },
  lock: { spec: none },
  signOut: { spec: none },
  people: { spec: none },
  screenshotUrl: { spec: { recordId: (v) => isStr(v, 200), size: (v) => v === 'thumb' || v === 'full' } },
  decideCorrection: {
    spec: { requestId: (v) => isStr(v, 128), employeeId: isId, decision: (v) => v === 'approved' || v === 'rejected', comment: (v) => typeof v === 'string' && v.length <= 2000 },
    optional: ['comment'],
  },
};

const SUBSCRIPTION_PARAMS: { [N in SubscriptionName]: { spec: Record<string, (v: unknown) => boolean>; optional?: string[] } } = {
  session: { spec: none },
  sync: { spec: none },
  dashboard: { spec: { date: isDate } },
  personDay: { spec: { employeeId: isId, date: isDate } },
  gallery: { spec: { employeeId: isId, date: isDate } },
  attendance: { spec: { scope: isScope, from: isDate, to: isDate }, optional: ['scope'] },
  report: { spec: { scope: isScope, from: isDate, to: isDate, groupBy: (v) => v === 'person' || v === 'team' || v === 'day' }, optional: ['scope', 'groupBy'] },
};

export const isRequestName = (x: unknown): x is RequestName => (REQUEST_NAMES as readonly unknown[]).includes(x);
export const isSubscriptionName = (x: unknown): x is SubscriptionName => (SUBSCRIPTION_NAMES as readonly unknown[]).includes(x);

export function checkRequestParams<N extends RequestName>(name: N, params: unknown): Checked<RequestParams<N>> {
  const rule = REQUEST_PARAMS[name];
  const problem = fields(params ?? {}, rule.spec, rule.optional);
  if (problem) return bad(`${name}: ${problem}`);
  return good((params ?? {}) as RequestParams<N>);
}

export function checkSubscriptionParams<N extends SubscriptionName>(name: N, params: unknown): Checked<SubscriptionParams<N>> {
  const rule = SUBSCRIPTION_PARAMS[name];
  const problem = fields(params ?? {}, rule.spec, rule.optional);
  if (problem) return bad(`${name}: ${problem}`);
  const p = (params ?? {}) as Obj;
  if (typeof p.from === 'string' && typeof p.to === 'string' && p.from > p.to) return bad(`${name}: from is after to`);
  return good(p as SubscriptionParams<N>);
}

export function isApiError(x: unknown): x is ApiError {
  return isObj(x) && (API_ERROR_CODES as readonly unknown[]).includes(x.code) && typeof x.message === 'string';
}

export function isSessionState(x: unknown): x is SessionState {
  if (!isObj(x)) return false;
  switch (x.state) {
    case 'signed-out':
      return true;
    case 'locked':
      return isStr(x.server, 2048) && isStr(x.user) && typeof x.role === 'string';
    case 'unlocked':
      return isStr(x.server, 2048) && isStr(x.user) && typeof x.role === 'string' && Array.isArray(x.teams) && x.teams.every((t) => typeof t === 'string') && typeof x.orgId === 'string';
    case 'error':
      return isApiError(x.error);
    default:
      return false;
  }
}

const RESULT_CHECKS: { [N in RequestName]: (x: unknown) => boolean } = {
  signIn: isSessionState,
  unlock: isSessionState,
  lock: isSessionState,
  signOut: isSessionState,
  people: (x) => Array.isArray(x) && x.every((p) => isObj(p) && isId(p.employeeId) && typeof p.displayName === 'string' && (p.teamId === null || typeof p.teamId === 'string')),
  screenshotUrl: (x) => isObj(x) && typeof x.url === 'string' && x.url.length < 4096,
  decideCorrection: (x) => isObj(x) && (x.status === 'sent' || x.status === 'queued'),
};

// View models are checked for their frame only (an object carrying the asked
// date or range); their inner shape is owned and tested by the pure builders.
const VALUE_CHECKS: { [N in SubscriptionName]: (x: unknown) => boolean } = {
  session: isSessionState,
  sync: (x) => isObj(x) && Array.isArray(x.databases) && x.databases.every((d) => isObj(d) && typeof d.db === 'string' && isNum(d.pulled) && typeof d.online === 'boolean') && isNum(x.cannotOpen) && isNum(x.outbox),
  dashboard: isObj,
  personDay: isObj,
  gallery: isObj,
  attendance: isObj,
  report: isObj,
};

export function checkResult<N extends RequestName>(name: N, result: unknown): Checked<RequestResult<N>> {
  return RESULT_CHECKS[name](result) ? good(result as RequestResult<N>) : { ok: false, error: { code: 'internal', message: `the core sent a malformed ${name} result` } };
}

export function checkValue<N extends SubscriptionName>(name: N, value: unknown): Checked<SubscriptionValue<N>> {
  return VALUE_CHECKS[name](value) ? good(value as SubscriptionValue<N>) : { ok: false, error: { code: 'internal', message: `the core sent a malformed ${name} value` } };
}

export function parseClientMessage(raw: unknown): Checked<ClientMessage> {
  if (!isObj(raw) || !Number.isSafeInteger(raw.id)) return bad('a message needs a numeric id');
  if (raw.t === 'unsub') return good({ t: 'unsub', id: raw.id as number });
  if ((raw.t === 'req' || raw.t === 'sub') && typeof raw.name === 'string') return good({ t: raw.t, id: raw.id as number, name: raw.name, params: raw.params });
  return bad('unknown message type');
}

export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (!isObj(raw) || !Number.isSafeInteger(raw.id)) return null;
  const id = raw.id as number;
  if (raw.t === 'res' && raw.ok === true) return { t: 'res', id, ok: true, result: raw.result };
  if (raw.t === 'res' && raw.ok === false && isApiError(raw.error)) return { t: 'res', id, ok: false, error: raw.error };
  if (raw.t === 'val') return { t: 'val', id, value: raw.value };
  if (raw.t === 'err' && isApiError(raw.error)) return { t: 'err', id, error: raw.error };
  return null;
}
