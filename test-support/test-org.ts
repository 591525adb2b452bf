/**
 * A simulated organisation for tests and benches: the admin side's keys
 * (organisation, one key per team, HR, one per employee) and the signed inbox
 * documents it sends devices. Keys are plain PersonKeys (no passphrase
 * wrapping: that is tested in shared/src/keys and would cost ~0.3 s a key).
 */
import {
  createDecisionDocument,
  createPolicyDocument,
  createRecipientsDocument,
  createWithdrawalDocument,
  decisionDocId,
  fingerprint,
  inboxDoc,
  inboxWireDoc,
  initSodium,
  newSeed,
  personKeysFromSeed,
  policyDocId,
  RECIPIENTS_DOC_ID,
  type CorrectionDecisionPayload,
  type InboxDoc,
  type PersonKeys,
  type PolicyLayer,
} from '@sealtime/shared';

export interface TestOrg {
  readonly org: PersonKeys;
  readonly hr: PersonKeys;
  /** fingerprint(org.signPublicKey): what an enrollment code carries. */
  readonly orgKeyFingerprint: string;
  team(teamId: string): PersonKeys;
  employee(employeeId: string): PersonKeys;
  /** The signed recipients document for an employee, as an inbox doc. */
  recipients(employeeId: string, teamId: string | null, issuedAt?: number): InboxDoc;
  /** One signed policy layer for an employee's inbox. */
  policy(employeeId: string, layer: PolicyLayer, issuedAt?: number): InboxDoc;
  /** A correction decision signed by HR. */
  decision(employeeId: string, decision: CorrectionDecisionPayload): InboxDoc;
  /** A signed withdrawal standing in for the document `docId` (a policy layer: by the org key; a decision: by HR). */
  withdrawal(employeeId: string, docId: string, issuedAt?: number): InboxDoc;
  /** CouchDB form (`_id`) for `_bulk_docs`. */
  wire(doc: InboxDoc): Record<string, unknown>;
}

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

export async function createTestOrg(): Promise<TestOrg> {
  await initSodium();
  const keys = () => personKeysFromSeed(newSeed());
  const org = keys();
  const hr = keys();
  const teams = new Map<string, PersonKeys>();
  const employees = new Map<string, PersonKeys>();
  const get = (m: Map<string, PersonKeys>, id: string) => m.get(id) ?? m.set(id, keys()).get(id)!;
  const pair = (k: PersonKeys) => [{ boxPublicKey: k.boxPublicKey, signPublicKey: k.signPublicKey }];

  return {
    org,
    hr,
    orgKeyFingerprint: fingerprint(org.signPublicKey),
    team: (id) => get(teams, id),
    employee: (id) => get(employees, id),
    recipients(employeeId, teamId, issuedAt = Date.now()) {
      const doc = unwrap(
        createRecipientsDocument(
          {
            employeeId,
            teamId,
            issuedAt,
            keys: {
              organisation: pair(org),
              hr: pair(hr),
              employee: pair(get(employees, employeeId)),
              ...(teamId ? { team: pair(get(teams, teamId)) } : {}),
            },
          },
          org,
        ),
      );
      return inboxDoc(RECIPIENTS_DOC_ID, 'recipients', employeeId, issuedAt, doc);
    },
    policy(employeeId, layer, issuedAt = Date.now()) {
      return inboxDoc(
        policyDocId(layer),
        'policy',
        employeeId,
        issuedAt,
        unwrap(createPolicyDocument(layer, issuedAt, org)),
      );
    },
    decision(employeeId, decision) {
      return inboxDoc(
        decisionDocId(decision.requestId),
        'correction-decision',
        employeeId,
        decision.decidedAt,
        unwrap(createDecisionDocument(employeeId, decision, hr)),
      );
    },
    withdrawal(employeeId, docId, issuedAt = Date.now()) {
      const decision = docId.startsWith('correction-decision:');
      return inboxDoc(
        docId,
        decision ? 'correction-decision' : 'policy',
        employeeId,
        issuedAt,
        unwrap(createWithdrawalDocument(docId, issuedAt, decision ? hr : org)),
      );
    },
    wire: inboxWireDoc,
  };
}
