/** Actions waiting to be delivered (made offline, or while the server refused them). */
import { isArrayOf, isNum, isObj, isStr, none, type Contract } from './contract-kit.js';

export interface OutboxItemView {
  id: string;
  /** e.g. 'correction-decision', 'policy-layer'. */
  type: string;
  /** For people: "approve correction req-1 (ada)". */
  what: string;
  /** Ids a view marks as waiting (e.g. a correction request id). */
  refs: string[];
  createdAt: number;
  attempts: number;
  lastError: string | null;
  /** 'refused': the server said no (shown on the item until sent or discarded). */
  state: 'waiting' | 'refused';
}

export interface OutboxRequests {
  /** Try to send every waiting action now. */
  outboxRetry: { params: Record<string, never>; result: { waiting: number } };
  /** Give up on one action: removed, never sent. */
  outboxDiscard: { params: { id: string }; result: { waiting: number } };
}

export interface OutboxSubscriptions {
  /** items: waiting; delivered: the last ones the server acknowledged (newest last), e.g. "sent, the device has not answered yet". */
  outbox: {
    params: Record<string, never>;
    value: { items: OutboxItemView[]; delivered: Array<{ id: string; refs: string[]; at: number }> };
  };
}

const isItem = (x: unknown): boolean =>
  isObj(x) &&
  isStr(x.id, 256) &&
  typeof x.type === 'string' &&
  typeof x.what === 'string' &&
  isArrayOf(x.refs, (r) => typeof r === 'string') &&
  isNum(x.createdAt) &&
  isNum(x.attempts) &&
  (x.lastError === null || typeof x.lastError === 'string') &&
  (x.state === 'waiting' || x.state === 'refused');
const waiting = (x: unknown): boolean => isObj(x) && isNum(x.waiting);

export const OUTBOX_CONTRACT: Contract<OutboxRequests, OutboxSubscriptions> = {
  requests: {
    outboxRetry: { spec: none, result: waiting },
    outboxDiscard: { spec: { id: (v) => isStr(v, 256) }, result: waiting },
  },
  subscriptions: {
    outbox: {
      spec: none,
      value: (x) =>
        isObj(x) &&
        isArrayOf(x.items, isItem, 10_000) &&
        isArrayOf(
          x.delivered,
          (d) => isObj(d) && isStr(d.id, 256) && isArrayOf(d.refs, (r) => typeof r === 'string') && isNum(d.at),
          10_000,
        ),
    },
  },
};
