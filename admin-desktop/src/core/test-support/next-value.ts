/**
 * The first value of a core subscription that `accept` takes, or a rejection
 * with the subscription's error or after `timeoutMs`: what core-level
 * integration tests wait on.
 */
import type { ApiError, SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import type { AdminCore } from '../admin-core.js';

export function nextValue<N extends SubscriptionName>(
  core: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept: (v: SubscriptionValue<N>) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<SubscriptionValue<N>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`no accepted ${name} value in ${timeoutMs} ms`));
    }, timeoutMs);
    const unsub = core.subscribe(
      name,
      params,
      (v) => {
        if (!accept(v)) return;
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        resolve(v);
      },
      (e: ApiError) => {
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        reject(Object.assign(new Error(`${e.code}: ${e.message}`), { code: e.code }));
      },
    );
  });
}
