/**
 * A record as the admin app's view models see it: opened (signature and chain
 * checked, payload decrypted and decoded) by the core. `kind` and `createdAt`
 * come from inside the envelope, never from the clear routing fields.
 * Records whose integrity is not 'ok' are shown as problems, never as data.
 */
import type { PayloadByKind } from '../records/payload-types.js';
import type { RecordKind } from '../records/payload-types.js';

export type OpenedIntegrity =
  | 'ok'
  | 'unverified' //     decrypted, but this role may not fetch the device key to check the signature
  | 'bad-signature' //  the device key did not sign it
  | 'unknown-device' // no enrolled device with this id for the employee
  | 'undecodable'; //   the envelope or payload does not parse

export type OpenedRecord<K extends RecordKind = RecordKind> = {
  [P in K]: {
    id: string;
    deviceId: string;
    employeeId: string;
    seq: number;
    kind: P;
    createdAt: number;
    payload: PayloadByKind[P];
    integrity: OpenedIntegrity;
  };
}[K];
