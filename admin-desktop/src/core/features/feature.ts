/**
 * A feature module of the core: the request handlers and subscription value
 * builders of one contract (api/contracts/). The core owns the session
 * (sign-in, unlock, lock) and routes every other name to its feature.
 */
import type { AdminRequests, AdminSubscriptions } from '../../api/admin-api.js';
import type { CoreContext } from '../unlocked-session.js';

/** Names the core itself answers: the session's lifecycle. */
export type SessionRequestName = 'signIn' | 'unlock' | 'lock' | 'signOut';
export type FeatureRequestName = Exclude<keyof AdminRequests, SessionRequestName>;
export type FeatureSubscriptionName = Exclude<keyof AdminSubscriptions, 'session'>;

export type RequestHandler<N extends keyof AdminRequests> = (
  params: AdminRequests[N]['params'],
  ctx: CoreContext,
) => Promise<AdminRequests[N]['result']>;
export type ValueBuilder<N extends keyof AdminSubscriptions> = (
  params: AdminSubscriptions[N]['params'],
  ctx: CoreContext,
) => Promise<AdminSubscriptions[N]['value']>;

export interface Feature<R extends FeatureRequestName, S extends FeatureSubscriptionName> {
  requests: { [K in R]: RequestHandler<K> };
  subscriptions: { [K in S]: ValueBuilder<K> };
}
