/**
 * The first value of a core subscription that `accept` takes, or a rejection
 * with the subscription's error or after `timeoutMs`: what core-level
 * integration tests wait on.
 */
import type { ApiError, SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import type { AdminCore } from '../admin-core.js';

export interface NextValueOptions {
  /**
   * Keep waiting through subscription errors (a role test waits for a view
   * that errs until the role's keys or replica arrive); the timeout then
   * names the last error or value seen.
   */
  waitThroughErrors?: boolean;
}

export function nextValue<N extends SubscriptionName>(
  core: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept: (v: SubscriptionValue<N>) => boolean = () => true,
  timeoutMs = 30_000,
  opts: NextValueOptions = {},
): Promise<SubscriptionValue<N>> {
  return new Promise((resolve, reject) => {
    let last: unknown;
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`no accepted ${name} value in ${timeoutMs} ms; last ${JSON.stringify(last)?.slice(0, 300)}`));
    }, timeoutMs);
    const unsub = core.subscribe(
      name,
      params,
      (v) => {
        last = v;
        if (!accept(v)) return;
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        resolve(v);
      },
      (e: ApiError) => {
        last = e;
        if (opts.waitThroughErrors) return;
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        reject(Object.assign(new Error(`${e.code}: ${e.message}`), { code: e.code }));
      },
    );
  });
}
