/**
 * The policy editor (admins): the layers organisation → team → employee →
 * device, each setting's effective value at a chosen scope and the level that
 * set it; a preview of what publishing changes, publishing (the core signs the
 * layer with the organisation key) and withdrawing a layer.
 * No Node, no Electron: the renderer imports this.
 */
import { isArrayOf, isBool, isNum, isObj, isStr, none, type Contract } from './contract-kit.js';

export type PolicyLayerLevel = 'organisation' | 'team' | 'employee' | 'device';
export const POLICY_LAYER_LEVELS: readonly PolicyLayerLevel[] = ['organisation', 'team', 'employee', 'device'];

/** One layer: the organisation (its id), a team, an employee or a device. */
export interface PolicyScope {
  level: PolicyLayerLevel;
  id: string;
}

export type PolicyValue = boolean | number | string | string[];

/** What kind of input a setting takes (from the policy schema in @sealtime/shared). */
export type PolicySettingSpec =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'app-list'; maxItems: number; maxLength: number }
  | { kind: 'enum'; values: string[] };

export interface PolicySettingView {
  /** Dotted path, e.g. 'screenshots.perHour'. */
  path: string;
  spec: PolicySettingSpec;
  /** The value a device of this scope applies. */
  effective: PolicyValue;
  /** The level whose value stands ('default': no layer set it). */
  source: { level: 'default' | PolicyLayerLevel; id?: string };
  /** The value this scope's own layer states, when it states one. */
  own?: PolicyValue;
  /** This scope's layer locks it for the levels below. */
  lockedHere: boolean;
  /** A layer above locked it: this level may only switch capture off. */
  lockedAbove?: PolicyScope;
  /** This scope's own value has no effect because of that lock. */
  ignored: boolean;
}

export interface PolicyScopeView {
  scope: PolicyScope;
  /** The layers that apply here, top down, the scope's own last; issuedAt null: no layer in force at that level. */
  chain: Array<PolicyScope & { issuedAt: number | null }>;
  settings: PolicySettingView[];
  /** Employees a layer at this scope reaches. */
  reaches: string[];
}

export interface PolicyTargets {
  orgId: string;
  teams: string[];
  employees: Array<{ employeeId: string; teamId: string | null }>;
  devices: Array<{ deviceId: string; employeeId: string; name: string | null; revoked: boolean }>;
  /** Every layer in force. */
  layers: Array<PolicyScope & { issuedAt: number }>;
  /** Directory documents that did not verify under the organisation key (never applied). */
  refused: Array<{ id: string; reason: string }>;
}

/** An edit of one layer: values to set, paths to clear back to inherit, locks to add or remove. */
export interface PolicyEdit {
  scope: PolicyScope;
  set?: Record<string, PolicyValue>;
  clear?: string[];
  lock?: string[];
  unlock?: string[];
}

export interface PolicyChange {
  path: string;
  /** The layer's own value before and after (absent: inherits). */
  ownBefore?: PolicyValue;
  ownAfter?: PolicyValue;
  lockedBefore: boolean;
  lockedAfter: boolean;
  effectiveBefore: PolicyValue;
  effectiveAfter: PolicyValue;
}

export interface PolicyPreview {
  changes: PolicyChange[];
  /** Refused values, each next to its field ('' for the layer as a whole). */
  errors: Array<{ path: string; message: string }>;
  reaches: string[];
}

export interface PolicyPublishResult {
  /** 'sent': the server has it. */
  status: 'sent';
  issuedAt: number;
  publishedTo: string[];
  /** Employees without an inbox yet: they get it from the directory when enrolled. */
  notProvisioned: string[];
}

export interface PoliciesRequests {
  policyTargets: { params: Record<string, never>; result: PolicyTargets };
  policyScope: { params: { scope: PolicyScope }; result: PolicyScopeView };
  previewPolicy: { params: PolicyEdit; result: PolicyPreview };
  publishPolicy: { params: PolicyEdit; result: PolicyPublishResult };
  withdrawPolicy: { params: { scope: PolicyScope }; result: PolicyPublishResult };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- layers live on the server, read on request
export interface PoliciesSubscriptions {}

const PATH = /^[A-Za-z][A-Za-z.]{0,80}$/;
const isPath = (x: unknown): boolean => typeof x === 'string' && PATH.test(x);
const isScope = (x: unknown): boolean =>
  isObj(x) &&
  Object.keys(x).length === 2 &&
  (POLICY_LAYER_LEVELS as readonly unknown[]).includes(x.level) &&
  isStr(x.id, 128);
const isValue = (x: unknown): boolean =>
  isBool(x) || isNum(x) || isStr(x, 64) || isArrayOf(x, (s) => typeof s === 'string' && s.length <= 256, 500);
const isSettings = (x: unknown): boolean =>
  isObj(x) && Object.keys(x).length <= 64 && Object.entries(x).every(([k, v]) => isPath(k) && isValue(v));
const isPaths = (x: unknown): boolean => isArrayOf(x, isPath, 64);
const edit = { scope: isScope, set: isSettings, clear: isPaths, lock: isPaths, unlock: isPaths };
const isPublished = (x: unknown): boolean =>
  isObj(x) &&
  x.status === 'sent' &&
  isNum(x.issuedAt) &&
  Array.isArray(x.publishedTo) &&
  Array.isArray(x.notProvisioned);

export const POLICIES_CONTRACT: Contract<PoliciesRequests, PoliciesSubscriptions> = {
  requests: {
    policyTargets: {
      spec: none,
      result: (x) =>
        isObj(x) &&
        typeof x.orgId === 'string' &&
        Array.isArray(x.teams) &&
        Array.isArray(x.employees) &&
        Array.isArray(x.devices) &&
        Array.isArray(x.layers),
    },
    policyScope: {
      spec: { scope: isScope },
      result: (x) => isObj(x) && isScope(x.scope) && Array.isArray(x.settings) && Array.isArray(x.chain),
    },
    previewPolicy: {
      spec: edit,
      optional: ['set', 'clear', 'lock', 'unlock'],
      result: (x) => isObj(x) && Array.isArray(x.changes) && Array.isArray(x.errors),
    },
    publishPolicy: { spec: edit, optional: ['set', 'clear', 'lock', 'unlock'], result: isPublished },
    withdrawPolicy: { spec: { scope: isScope }, result: isPublished },
  },
  subscriptions: {},
};
