/** First run: the first admin on a fresh server sets up the organisation from the app. */
import { isArrayOf, isObj, isStr, type Contract } from './contract-kit.js';

export interface RecoveryKeyView {
  role: 'organisation' | 'hr';
  ownerId: string;
  /** Shown once, for printing; never stored by the app. */
  text: string;
}

export interface SetupOrganisationResult {
  orgId: string;
  /** The organisation signing key's fingerprint: enrollment codes carry it, devices check it. */
  fingerprint: string;
  recoveryKeys: RecoveryKeyView[];
}

export interface FirstRunRequests {
  /** Signed in (locked) on a server without an organisation: create its keys on this machine. */
  setupOrganisation: { params: { orgId: string; passphrase: string }; result: SetupOrganisationResult };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no streams
export interface FirstRunSubscriptions {}

/** Long enough to resist guessing offline against the wrapped ring (Argon2id slows each guess, it does not make a short one safe). */
export const MIN_PASSPHRASE = 12;

export const FIRST_RUN_CONTRACT: Contract<FirstRunRequests, FirstRunSubscriptions> = {
  requests: {
    setupOrganisation: {
      spec: {
        orgId: (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(v),
        passphrase: (v) => isStr(v, 1024) && v.length >= MIN_PASSPHRASE,
      },
      result: (x) =>
        isObj(x) &&
        isStr(x.orgId) &&
        isStr(x.fingerprint) &&
        isArrayOf(
          x.recoveryKeys,
          (k) => isObj(k) && (k.role === 'organisation' || k.role === 'hr') && isStr(k.text, 4096),
          10,
        ),
    },
  },
  subscriptions: {},
};
