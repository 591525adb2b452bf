/**
 * Where schedules and holiday lists live in the organisation directory. Apart
 * from the signing code so the views (browser bundles) can name them without
 * pulling in libsodium.
 */
import type { ScheduleScope } from './schedule-types.js';

export const SCHEDULE_DOC_PREFIX = 'schedule:';
export const HOLIDAYS_DOC_PREFIX = 'holidays:';

export const scheduleDocId = (scope: ScheduleScope): string => `${SCHEDULE_DOC_PREFIX}${scope.level}:${scope.id}`;
export const holidaysDocId = (orgId: string): string => `${HOLIDAYS_DOC_PREFIX}${orgId}`;
