// A subscription as React state: the latest value, or the error the core sent.
import { useEffect, useState } from 'react';
import type {
  AdminApi,
  ApiError,
  SubscriptionName,
  SubscriptionParams,
  SubscriptionValue,
} from '../../api/admin-api.js';

export type Live<T> = { value: T | null; error: ApiError | null };

export function useSubscription<N extends SubscriptionName>(
  api: AdminApi,
  name: N,
  params: SubscriptionParams<N> | null,
): Live<SubscriptionValue<N>> {
  const [live, setLive] = useState<Live<SubscriptionValue<N>>>({ value: null, error: null });
  const key = params === null ? null : JSON.stringify(params);
  useEffect(() => {
    if (key === null) return;
    setLive({ value: null, error: null });
    return api.subscribe(
      name,
      JSON.parse(key) as SubscriptionParams<N>,
      (value) => setLive({ value, error: null }),
      (error) => setLive((l) => ({ value: l.value, error })),
    );
  }, [api, name, key]);
  return live;
}
