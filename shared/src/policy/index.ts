// Capture policy: types, defaults, validation and layered resolution.
export type {
  CapturePolicy,
  ManualTimeApproval,
  IgnoredOverride,
  LayerLevel,
  PolicyError,
  PolicyErrorCode,
  PolicyLayer,
  PolicyLevel,
  PolicyPatch,
  PolicySource,
  ResolvedPolicy,
} from './policy-types.js';
export { DEFAULT_POLICY, LAYER_ORDER } from './policy-types.js';
export { POLICY_LEAF_PATHS } from './policy-schema.js';
// each setting's kind and range, for editors that offer typed inputs
export { fieldSpec as policyFieldSpec, type FieldSpec as PolicyFieldSpec } from './policy-schema.js';
export { validatePolicyPatch } from './validate-policy.js';
export type { PatchValidation } from './validate-policy.js';
export { validatePolicyLayers } from './validate-layers.js';
export type { CheckedLayer, LayersValidation } from './validate-layers.js';
export { resolvePolicy } from './resolve-policy.js';
