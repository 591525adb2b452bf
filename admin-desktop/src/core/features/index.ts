/**
 * Every feature's handlers in one table each; the mapped types make a request
 * or subscription without a handler a type error. A new screen adds its
 * feature file and one line per table here.
 */
import { auditFeature } from './audit-feature.js';
import { correctionsFeature } from './corrections-feature.js';
import type { FeatureRequestName, FeatureSubscriptionName, RequestHandler, ValueBuilder } from './feature.js';
import { policiesFeature } from './policies-feature.js';
import { firstRunFeature } from './first-run-feature.js';
import { outboxFeature } from './outbox-feature.js';
import { peopleAdminFeature } from './people-admin-feature.js';
import { privacyFeature } from './privacy-feature.js';
import { productivityFeature } from './productivity-feature.js';
import { reviewFeature } from './review-feature.js';
import { schedulesFeature } from './schedules-feature.js';
import { projectsFeature } from './projects-feature.js';
import { statusFeature } from './status-feature.js';
import { manualTimeFeature } from './manual-time-feature.js';

export const REQUEST_HANDLERS: { [N in FeatureRequestName]: RequestHandler<N> } = {
  ...reviewFeature.requests,
  ...correctionsFeature.requests,
  ...statusFeature.requests,
  ...policiesFeature.requests,
  ...auditFeature.requests,
  ...outboxFeature.requests,
  ...firstRunFeature.requests,
  ...peopleAdminFeature.requests,
  ...privacyFeature.requests,
  ...schedulesFeature.requests,
  ...projectsFeature.requests,
  ...manualTimeFeature.requests,
  ...productivityFeature.requests,
};

export const VALUE_BUILDERS: { [N in FeatureSubscriptionName]: ValueBuilder<N> } = {
  ...reviewFeature.subscriptions,
  ...correctionsFeature.subscriptions,
  ...statusFeature.subscriptions,
  ...policiesFeature.subscriptions,
  ...auditFeature.subscriptions,
  ...outboxFeature.subscriptions,
  ...firstRunFeature.subscriptions,
  ...peopleAdminFeature.subscriptions,
  ...privacyFeature.subscriptions,
  ...schedulesFeature.subscriptions,
  ...projectsFeature.subscriptions,
  ...manualTimeFeature.subscriptions,
  ...productivityFeature.subscriptions,
};
