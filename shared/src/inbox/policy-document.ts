/**
 * A policy layer as the organisation sends it to devices: one PolicyLayer,
 * signed by the organisation signing key, so a server operator cannot switch
 * capture on (or anything else) for anyone. The agent folds every verified
 * layer that applies to it with resolvePolicy.
 */
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';
import type { PolicyLayer } from '../policy/policy-types.js';
import { validatePolicyLayers } from '../policy/validate-layers.js';

export const POLICY_FORMAT = 'sealtime-policy' as const;

export interface PolicyDocument {
  format: typeof POLICY_FORMAT;
  v: 1;
  issuedAt: number;
  layer: PolicyLayer;
  signature: DocumentSignature;
}

/** The inbox id of a layer: one document per level and id, replaced on change. */
export function policyDocId(layer: Pick<PolicyLayer, 'level' | 'id'>): string {
  return `policy:${layer.level}:${layer.id}`;
}

export function createPolicyDocument(
  layer: PolicyLayer,
  issuedAt: number,
  signer: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): KeyResult<PolicyDocument> {
  const checked = validatePolicyLayers([layer]);
  if (!checked.ok) return keyFail('malformed-document', `policy layer: ${checked.error.message}`);
  const plain = JSON.parse(JSON.stringify(layer)) as PolicyLayer; // canonical JSON needs plain data
  return signDocument(
    { format: POLICY_FORMAT, v: 1 as const, issuedAt, layer: plain },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

export function verifyPolicyDocument(
  input: unknown,
  trustedSignKeys: readonly Uint8Array[],
): KeyResult<{ layer: PolicyLayer; issuedAt: number }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a policy document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== POLICY_FORMAT || d.v !== 1) return keyFail('malformed-document', 'not a version 1 policy document');
  const sig = verifyDocument(d, trustedSignKeys);
  if (!sig.ok) return sig;
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const checked = validatePolicyLayers([d.layer as PolicyLayer]);
  if (!checked.ok) return keyFail('malformed-document', `policy layer: ${checked.error.message}`);
  return { ok: true, value: { layer: d.layer as PolicyLayer, issuedAt: d.issuedAt as number } };
}
