/**
 * Productivity rule sets as signed organisation documents
 * (`productivity:<level>:<id>`), kept in the directory for other admins and
 * delivered to the agents they concern through their inboxes, like policy
 * layers. Only the organisation key signs, for team sets too: agents trust
 * exactly one signing key (the one the recipients document names), and a
 * manager's team key is a decryption key the agents do not verify
 * signatures with; letting a manager sign would need a second trusted key on
 * every device and a way to revoke it. So managers read their team's set,
 * admins edit. The server stores them in the clear (app names and hosts of
 * the rules, not of anyone's activity) and can neither forge nor alter one.
 */
import { toBase64 } from '../envelope/codec.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument } from '../keys/signed-document.js';
import {
  PRODUCTIVITY_DOC_PREFIX,
  RULE_SET_LEVELS,
  ruleSetDocId,
  type ProductivityRuleSet,
  type RuleSetScope,
} from './productivity-types.js';
import { versionsProblem } from './validate-rules.js';

export const PRODUCTIVITY_FORMAT = 'sealtime-productivity-rules' as const;
export { PRODUCTIVITY_DOC_PREFIX, ruleSetDocId };

type Signer = { signPublicKey: Uint8Array; signSecretKey: Uint8Array };

export function createRuleSetDocument(set: ProductivityRuleSet, signer: Signer): KeyResult<Record<string, unknown>> {
  const problem = versionsProblem(set.versions);
  if (problem) return keyFail('malformed-document', `productivity rules of ${set.level} ${set.id}: ${problem}`);
  return signDocument(
    {
      format: PRODUCTIVITY_FORMAT,
      v: 1 as const,
      level: set.level,
      id: set.id,
      issuedAt: set.issuedAt,
      versions: JSON.parse(JSON.stringify(set.versions)) as unknown[], // canonical JSON needs plain data
      signer: toBase64(signer.signPublicKey),
    },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

/** The set a stored document holds, if signed by a trusted key, well-formed and stored under its own id. */
export function verifyRuleSetDocument(
  docId: string,
  input: unknown,
  trusted: readonly Uint8Array[],
): KeyResult<ProductivityRuleSet> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a productivity rules document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== PRODUCTIVITY_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 productivity rules document');
  const sig = verifyDocument(d, trusted);
  if (!sig.ok) return sig;
  if (!(RULE_SET_LEVELS as readonly unknown[]).includes(d.level) || typeof d.id !== 'string')
    return keyFail('malformed-document', 'a rule set names its level and id');
  const scope = { level: d.level as RuleSetScope['level'], id: d.id };
  // a genuine set copied under another id (another team) must not apply there
  if (ruleSetDocId(scope) !== docId)
    return keyFail('malformed-document', `it holds the rules of ${scope.level} ${scope.id}, not ${docId}`);
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const problem = versionsProblem(d.versions);
  if (problem) return keyFail('malformed-document', problem);
  return {
    ok: true,
    value: { ...scope, issuedAt: d.issuedAt as number, versions: d.versions as ProductivityRuleSet['versions'] },
  };
}
