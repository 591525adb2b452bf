/**
 * The productivity rule sets in an agent's inbox that it may show the
 * employee (their day, classified as reviewers see it): the organisation's
 * and their own team's, verified under the organisation signing key the
 * recipients document names, each stored under its own id. A set that fails
 * is never used and reported (the watcher raises an integrity alert); an
 * older copy than one already accepted is refused as a replay; a set that
 * vanishes without a newer signed one stays in force (as policy layers do).
 */
import { verifyRuleSetDocument, type InboxDoc, type ProductivityRuleSet } from '@sealtime/shared';

export interface FoldedRuleSets {
  /** organisation first, then the team's: the chain classify() takes */
  sets: ProductivityRuleSet[];
  /** newest issuedAt accepted per set id */
  highWater: Record<string, number>;
  /** last verified document per set id */
  kept: Record<string, InboxDoc>;
}

export function foldRuleSets(
  docs: readonly InboxDoc[],
  orgSignPublicKey: Uint8Array,
  teamId: string | null,
  highWater: Readonly<Record<string, number>>,
  prevKept: Readonly<Record<string, InboxDoc>>,
  report: {
    reject: (d: InboxDoc, code: string, reason: string) => void;
    vanished: (d: InboxDoc, what: string) => void;
  },
): FoldedRuleSets {
  const out: FoldedRuleSets = { sets: [], highWater: {}, kept: {} };
  const best = new Map<string, { set: ProductivityRuleSet; doc: InboxDoc }>();
  const present = new Set(docs.map((d) => d.id));
  const applies = (s: ProductivityRuleSet) => s.level === 'organisation' || s.id === teamId;
  for (const d of docs.filter((x) => x.type === 'productivity-rules')) {
    const v = verifyRuleSetDocument(d.id, d.doc, [orgSignPublicKey]);
    if (!v.ok) {
      report.reject(d, v.error.code, `productivity rules refused: ${v.error.message}`);
      continue;
    }
    if (v.value.issuedAt < (highWater[d.id] ?? -1)) {
      report.reject(
        d,
        'stale',
        `productivity rules ${d.id} issued ${new Date(v.value.issuedAt).toISOString()} are older than ones already accepted (replayed?)`,
      );
      continue;
    }
    if (applies(v.value)) best.set(d.id, { set: v.value, doc: d });
  }
  for (const [id, d] of Object.entries(prevKept)) {
    if (d.type !== 'productivity-rules' || best.has(id)) continue;
    const v = verifyRuleSetDocument(id, d.doc, [orgSignPublicKey]);
    if (!v.ok || !applies(v.value)) continue; // e.g. the set of a team this employee has left
    best.set(id, { set: v.value, doc: d });
    if (!present.has(id)) report.vanished(d, `productivity rules ${id}`);
  }
  for (const [id, b] of best) {
    out.highWater[id] = Math.max(highWater[id] ?? -1, b.set.issuedAt);
    out.kept[id] = b.doc;
  }
  out.sets = [...best.values()]
    .map((b) => b.set)
    .sort((a, b) => (a.level === b.level ? 0 : a.level === 'organisation' ? -1 : 1));
  return out;
}
