/** Sign-in, unlock, lock, sign-out, and the session and sync status streams. */
import { isArrayOf, isNum, isObj, isStr, none, type Contract } from './contract-kit.js';
import type { ApiError } from './api-error.js';
import { isApiError } from './api-error.js';

export type Role = 'admin' | 'super-admin' | 'manager' | 'hr';

export type SessionState =
  | {
      state: 'signed-out';
      /** Why the app is back here (e.g. the session expired), and the server it was on. */ notice?: string;
      server?: string;
    }
  | {
      state: 'locked';
      server: string;
      user: string;
      role: string;
      /** Why the keys were not reopened by themselves (a refused unlock cache). */ notice?: string;
    }
  | { state: 'unlocked'; server: string; user: string; role: string; teams: string[]; orgId: string }
  | { state: 'error'; error: ApiError };

export interface DatabaseSyncStatus {
  /** Server database name, e.g. st-org-records. */
  db: string;
  /** Documents pulled into the local replica since it was created. */
  pulled: number;
  lastSyncAt: number | null;
  online: boolean;
  lastError: { message: string; at: number } | null;
}

export interface SyncStatusValue {
  databases: DatabaseSyncStatus[];
  /** Records in the replica no key of this role can open (counted, never shown). */
  cannotOpen: number;
  /** Actions waiting to be sent (e.g. correction decisions made offline). */
  outbox: number;
}

export interface SessionRequests {
  /** caFile: a PEM CA the server's certificate chains to; certFingerprint: a SHA-256 pin of that certificate. */
  signIn: {
    params: {
      serverUrl: string;
      user: string;
      password: string;
      totp?: string;
      caFile?: string;
      certFingerprint?: string;
    };
    result: SessionState;
  };
  unlock: { params: { passphrase: string }; result: SessionState };
  lock: { params: Record<string, never>; result: SessionState };
  signOut: { params: Record<string, never>; result: SessionState };
}

export interface SessionSubscriptions {
  session: { params: Record<string, never>; value: SessionState };
  sync: { params: Record<string, never>; value: SyncStatusValue };
}

export function isSessionState(x: unknown): x is SessionState {
  if (!isObj(x)) return false;
  switch (x.state) {
    case 'signed-out':
      return true;
    case 'locked':
      return isStr(x.server, 2048) && isStr(x.user) && typeof x.role === 'string';
    case 'unlocked':
      return (
        isStr(x.server, 2048) &&
        isStr(x.user) &&
        typeof x.role === 'string' &&
        Array.isArray(x.teams) &&
        x.teams.every((t) => typeof t === 'string') &&
        typeof x.orgId === 'string'
      );
    case 'error':
      return isApiError(x.error);
    default:
      return false;
  }
}

const isSyncStatus = (x: unknown): boolean =>
  isObj(x) &&
  isArrayOf(
    x.databases,
    (d) => isObj(d) && typeof d.db === 'string' && isNum(d.pulled) && typeof d.online === 'boolean',
  ) &&
  isNum(x.cannotOpen) &&
  isNum(x.outbox);

export const SESSION_CONTRACT: Contract<SessionRequests, SessionSubscriptions> = {
  requests: {
    signIn: {
      spec: {
        serverUrl: (v) => isStr(v, 2048) && /^https?:\/\//.test(v),
        user: (v) => isStr(v, 128),
        password: (v) => isStr(v, 1024),
        totp: (v) => typeof v === 'string' && /^[A-Za-z0-9-]{6,40}$/.test(v),
        caFile: (v) => isStr(v, 4096),
        certFingerprint: (v) => typeof v === 'string' && /^[0-9A-Fa-f:\s]{64,110}$/.test(v),
      },
      optional: ['totp', 'caFile', 'certFingerprint'],
      result: isSessionState,
    },
    unlock: { spec: { passphrase: (v) => isStr(v, 1024) }, result: isSessionState },
    lock: { spec: none, result: isSessionState },
    signOut: { spec: none, result: isSessionState },
  },
  subscriptions: {
    session: { spec: none, value: isSessionState },
    sync: { spec: none, value: isSyncStatus },
  },
};
