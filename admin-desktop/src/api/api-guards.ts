/**
 * Validators for everything that crosses the admin API, run on both ends:
 * the core checks params before it acts (a renderer is not trusted), the
 * renderer checks results and values before it renders. The rules live with
 * each feature's contract (contracts/); this file applies them.
 */
import {
  REQUEST_NAMES,
  REQUEST_RULES,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_RULES,
  type ApiError,
  type ClientMessage,
  type RequestName,
  type RequestParams,
  type RequestResult,
  type ServerMessage,
  type SubscriptionName,
  type SubscriptionParams,
  type SubscriptionValue,
} from './admin-api.js';
import { isApiError } from './contracts/api-error.js';
import { isObj, type FieldSpec, type Obj } from './contracts/contract-kit.js';

export { isApiError } from './contracts/api-error.js';
export { isSessionState } from './contracts/session-contract.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const bad = (message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'invalid-input', message },
});
const good = <T>(value: T): Checked<T> => ({ ok: true, value });

/** Only the listed keys; each check names the field it failed on. */
function fields(x: unknown, spec: FieldSpec, optional: readonly string[] = []): string | null {
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

export const isRequestName = (x: unknown): x is RequestName => (REQUEST_NAMES as readonly unknown[]).includes(x);
export const isSubscriptionName = (x: unknown): x is SubscriptionName =>
  (SUBSCRIPTION_NAMES as readonly unknown[]).includes(x);

export function checkRequestParams<N extends RequestName>(name: N, params: unknown): Checked<RequestParams<N>> {
  const rule = REQUEST_RULES[name];
  const problem = fields(params ?? {}, rule.spec, rule.optional);
  if (problem) return bad(`${name}: ${problem}`);
  return good((params ?? {}) as RequestParams<N>);
}

export function checkSubscriptionParams<N extends SubscriptionName>(
  name: N,
  params: unknown,
): Checked<SubscriptionParams<N>> {
  const rule = SUBSCRIPTION_RULES[name];
  const problem = fields(params ?? {}, rule.spec, rule.optional);
  if (problem) return bad(`${name}: ${problem}`);
  const p = (params ?? {}) as Obj;
  const cross = rule.cross?.(p);
  if (cross) return bad(`${name}: ${cross}`);
  return good(p as SubscriptionParams<N>);
}

export function checkResult<N extends RequestName>(name: N, result: unknown): Checked<RequestResult<N>> {
  return REQUEST_RULES[name].result(result)
    ? good(result as RequestResult<N>)
    : { ok: false, error: { code: 'internal', message: `the core sent a malformed ${name} result` } };
}

export function checkValue<N extends SubscriptionName>(name: N, value: unknown): Checked<SubscriptionValue<N>> {
  return SUBSCRIPTION_RULES[name].value(value)
    ? good(value as SubscriptionValue<N>)
    : { ok: false, error: { code: 'internal', message: `the core sent a malformed ${name} value` } };
}

export function parseClientMessage(raw: unknown): Checked<ClientMessage> {
  if (!isObj(raw) || !Number.isSafeInteger(raw.id)) return bad('a message needs a numeric id');
  if (raw.t === 'unsub') return good({ t: 'unsub', id: raw.id as number });
  if ((raw.t === 'req' || raw.t === 'sub') && typeof raw.name === 'string')
    return good({ t: raw.t, id: raw.id as number, name: raw.name, params: raw.params });
  return bad('unknown message type');
}

export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (!isObj(raw) || !Number.isSafeInteger(raw.id)) return null;
  const id = raw.id as number;
  if (raw.t === 'res' && raw.ok === true) return { t: 'res', id, ok: true, result: raw.result };
  if (raw.t === 'res' && raw.ok === false && isApiError(raw.error))
    return { t: 'res', id, ok: false, error: raw.error };
  if (raw.t === 'val') return { t: 'val', id, value: raw.value };
  if (raw.t === 'err' && isApiError(raw.error)) return { t: 'err', id, error: raw.error };
  return null;
}
