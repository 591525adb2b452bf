/**
 * Manual time: the queue of entries employees added for time away from the
 * computer, and the approver's decision (approve, or reject with a reason).
 */
import type { ManualEntryView } from '@sealtime/shared';
import { isId, isObj, isStr, rangeInOrder, isDate, type Contract } from './contract-kit.js';

export type ManualDecisionValue = 'approved' | 'rejected';

export interface ManualTimeRow extends ManualEntryView {
  personName: string;
  /** This reviewer may decide it now (pending, and the approver the entry names is this role). */
  canDecide: boolean;
  /** Why not, when pending and `canDecide` is false. */
  notMine?: string;
}

export interface ManualTimeQueue {
  from: string;
  to: string;
  rows: ManualTimeRow[];
  /** Pending entries in the range, whoever approves them. */
  pending: number;
  /** When decisions were last read from the server (null: never, offline). */
  decisionsReadAt: number | null;
}

export interface ManualTimeRequests {
  decideManualTime: {
    params: { employeeId: string; entryId: string; decision: ManualDecisionValue; comment?: string };
    /** 'sent': the server has it; 'queued': signed and stored here, waiting to sync. */
    result: { status: 'sent' | 'queued' };
  };
}

export interface ManualTimeSubscriptions {
  /** Entries that start in [from, to] (the reviewer's local dates). */
  manualTime: { params: { from: string; to: string }; value: ManualTimeQueue };
}

export const MANUAL_TIME_CONTRACT: Contract<ManualTimeRequests, ManualTimeSubscriptions> = {
  requests: {
    decideManualTime: {
      spec: {
        employeeId: isId,
        entryId: (v) => isStr(v, 64),
        decision: (v) => v === 'approved' || v === 'rejected',
        comment: (v) => typeof v === 'string' && v.length <= 1000,
      },
      optional: ['comment'],
      result: (x) => isObj(x) && (x.status === 'sent' || x.status === 'queued'),
    },
  },
  subscriptions: {
    manualTime: {
      spec: { from: isDate, to: isDate },
      value: (x) => isObj(x) && Array.isArray(x.rows),
      cross: rangeInOrder,
    },
  },
};
