/** HR's decisions on attendance correction requests. */
import { isId, isObj, isStr, type Contract } from './contract-kit.js';

export type CorrectionDecisionValue = 'approved' | 'rejected';

export interface DecideCorrectionResult {
  /** 'sent': the server has it; 'queued': stored locally, waiting to sync. */
  status: 'sent' | 'queued';
}

export interface CorrectionsRequests {
  decideCorrection: {
    params: { requestId: string; employeeId: string; decision: CorrectionDecisionValue; comment?: string };
    result: DecideCorrectionResult;
  };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no streams yet
export interface CorrectionsSubscriptions {}

export const CORRECTIONS_CONTRACT: Contract<CorrectionsRequests, CorrectionsSubscriptions> = {
  requests: {
    decideCorrection: {
      spec: {
        requestId: (v) => isStr(v, 128),
        employeeId: isId,
        decision: (v) => v === 'approved' || v === 'rejected',
        comment: (v) => typeof v === 'string' && v.length <= 2000,
      },
      optional: ['comment'],
      result: (x) => isObj(x) && (x.status === 'sent' || x.status === 'queued'),
    },
  },
  subscriptions: {},
};
