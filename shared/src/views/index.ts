// Admin view models (decision 7): pure functions from opened records to what a screen shows.
export * from './opened-record.js';
export * from './activity-level.js';
export * from './attendance-events.js';
export * from './integrity-alerts.js';
export * from './merged-activity.js';
export * from './app-spans.js';
export * from './slot-grid.js';
export * from './wall-clock.js';
export * from './person-day.js';
export * from './dashboard.js';
export * from './calendar-periods.js';
export * from './corrections.js';
export * from './attendance-sheet.js';
export * from './report.js';
export * from './report-csv.js';
export * from './gallery.js';
export * from './thumbnail.js';
// a project's report (issue 17): pure, so the renderer exports its CSV without the signing code
export * from '../projects/project-report.js';
export * from './manual-time.js';
export * from '../productivity/pure.js';
