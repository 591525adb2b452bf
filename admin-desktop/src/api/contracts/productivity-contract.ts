/**
 * Productivity rules and the classification built with them (issue 17):
 * admins edit the organisation's and each team's rule set (the organisation
 * key signs); every reviewer who reads activity sees the classified time.
 * Classification is computed in the core from decrypted app spans when a
 * view is built, never stored: a published change re-classifies history.
 * No Node, no Electron: the renderer imports this.
 */
import type {
  DayProductivity,
  ProductivityRule,
  ProductivityTotals,
  RuleProblem,
  RuleSetScope,
  RuleSetVersion,
} from '@sealtime/shared';
import { isDate, isId, isObj, none, rangeInOrder, type Contract } from './contract-kit.js';

export type {
  AppClassRow,
  ClassOrUnclassified,
  DayProductivity,
  ProductivityClass,
  ProductivityRule,
  ProductivityTotals,
  RuleMatch,
  RuleProblem,
  RuleSetLevel,
  RuleSetScope,
  RuleSetVersion,
} from '@sealtime/shared';

export interface RuleSetView extends RuleSetScope {
  issuedAt: number;
  /** oldest first; the last is the one in force from its effectiveFrom on */
  versions: RuleSetVersion[];
}

export interface ProductivityRuleBook {
  orgId: string;
  /** only admins hold the organisation key that signs rule sets */
  canEdit: boolean;
  teams: string[];
  sets: RuleSetView[];
  /** documents that did not verify under the organisation key: refused, never used */
  refused: Array<{ id: string; reason: string }>;
  readFrom: 'server' | 'cache';
}

export interface RuleSetPublishResult {
  status: 'sent';
  docId: string;
  issuedAt: number;
  publishedTo: string[];
  notProvisioned: string[];
}

export interface RuleTestResult {
  /** the rule's problems; nothing matched is tried while there are any */
  problems: RuleProblem[];
  /** distinct app names in the replica's last 7 days */
  appsSeen: number;
  /** what the rule matches there, longest first (at most 50) */
  matches: Array<{ app: string; host: string | null; title: string | null; ms: number }>;
}

export interface ProductivityPersonRow {
  employeeId: string;
  name: string;
  teamId: string | null;
  totals: ProductivityTotals;
  productivePercent: number | null;
  days: Array<{ date: string; totals: ProductivityTotals; productivePercent: number | null }>;
}

export interface ProductivityReport {
  from: string;
  to: string;
  rows: ProductivityPersonRow[];
  totals: ProductivityTotals;
  productivePercent: number | null;
}

export type ProductivityScope = { employeeId: string } | { teamId: string };

export interface ProductivityRequests {
  publishRuleSet: { params: { scope: RuleSetScope; version: RuleSetVersion }; result: RuleSetPublishResult };
  testRule: { params: { rule: ProductivityRule }; result: RuleTestResult };
}

export interface ProductivitySubscriptions {
  productivityRules: { params: Record<string, never>; value: ProductivityRuleBook };
  dayProductivity: { params: { employeeId: string; date: string }; value: DayProductivity };
  productivityReport: {
    params: { scope?: ProductivityScope; from: string; to: string };
    value: ProductivityReport;
  };
}

const isScope = (x: unknown): boolean =>
  isObj(x) && Object.keys(x).length === 2 && (x.level === 'organisation' || x.level === 'team') && isId(x.id);
const isPersonScope = (x: unknown): boolean =>
  isObj(x) && Object.keys(x).length === 1 && (isId(x.employeeId) || isId(x.teamId));
// the core checks every field and names the one that is wrong; here only the frame and size
const isVersion = (x: unknown): boolean =>
  isObj(x) && typeof x.effectiveFrom === 'number' && Array.isArray(x.rules) && JSON.stringify(x).length <= 200_000;
const isRule = (x: unknown): boolean => isObj(x) && JSON.stringify(x).length <= 2_000;

export const PRODUCTIVITY_CONTRACT: Contract<ProductivityRequests, ProductivitySubscriptions> = {
  requests: {
    publishRuleSet: {
      spec: { scope: isScope, version: isVersion },
      result: (x) => isObj(x) && x.status === 'sent' && typeof x.docId === 'string',
    },
    testRule: {
      spec: { rule: isRule },
      result: (x) => isObj(x) && Array.isArray(x.problems) && Array.isArray(x.matches),
    },
  },
  subscriptions: {
    productivityRules: {
      spec: none,
      value: (x) => isObj(x) && Array.isArray(x.sets) && Array.isArray(x.refused),
    },
    dayProductivity: {
      spec: { employeeId: isId, date: isDate },
      value: (x) => isObj(x) && isObj(x.totals) && Array.isArray(x.slots),
    },
    productivityReport: {
      spec: { scope: isPersonScope, from: isDate, to: isDate },
      optional: ['scope'],
      value: (x) => isObj(x) && Array.isArray(x.rows),
      cross: rangeInOrder,
    },
  },
};
