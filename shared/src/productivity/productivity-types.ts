/**
 * Productivity rules as the organisation publishes them: plain data, signed
 * by the organisation key (rules-document.ts), applied at view time by the
 * pure classifier (classify.ts). Nothing derived from them is ever stored in a
 * record, so publishing a changed rule re-classifies all history shown.
 */

export type ProductivityClass = 'productive' | 'neutral' | 'unproductive';
export const PRODUCTIVITY_CLASSES: readonly ProductivityClass[] = ['productive', 'neutral', 'unproductive'];

/**
 * What a rule looks at. Precedence inside one set, most specific first:
 * `app` (exact name, case-insensitive) > `host` (exact, then `*.suffix`,
 * longer suffix first) > `title` (regular expression on the window title) >
 * `app-pattern` (regular expression on the app name); equal kinds: list order.
 */
export type RuleMatch =
  | { by: 'app'; app: string }
  | { by: 'host'; host: string }
  | { by: 'title'; pattern: string }
  | { by: 'app-pattern'; pattern: string };
export type RuleMatchKind = RuleMatch['by'];
export const RULE_MATCH_KINDS: readonly RuleMatchKind[] = ['app', 'host', 'title', 'app-pattern'];

export interface ProductivityRule {
  /** stable within its set, so a classification can name the rule that decided it */
  id: string;
  match: RuleMatch;
  class: ProductivityClass;
  note?: string;
}

/** Where a set applies: a team's set overrides the organisation's wherever one of its rules matches. */
export type RuleSetLevel = 'organisation' | 'team';
export const RULE_SET_LEVELS: readonly RuleSetLevel[] = ['organisation', 'team'];
export type RuleSetScope = { level: RuleSetLevel; id: string };

/** Ids here, not beside the signing code, so the views (browser bundles) name them without libsodium. */
export const PRODUCTIVITY_DOC_PREFIX = 'productivity:';
export const ruleSetDocId = (scope: RuleSetScope): string => `${PRODUCTIVITY_DOC_PREFIX}${scope.level}:${scope.id}`;

/** The rules in force from `effectiveFrom` (ms) on; 0 means "for all history". */
export interface RuleSetVersion {
  effectiveFrom: number;
  rules: ProductivityRule[];
}

/** One level's versions, oldest first, and when the set was signed. */
export type ProductivityRuleSet = RuleSetScope & { issuedAt: number; versions: RuleSetVersion[] };

/** Why a span got its class: the set and rule, or none (unclassified). */
export type RuleRef = { level: RuleSetLevel; setId: string; ruleId: string };
export type Classification = { class: ProductivityClass; rule: RuleRef } | { class: 'unclassified'; rule: null };
export type ClassOrUnclassified = Classification['class'];
