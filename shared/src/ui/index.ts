// @sealtime/shared/ui: presentational React components both renderers use
// (the admin app and the agent's privacy centre). Props in, callbacks out; no
// data wiring, no I/O. React is a peer dependency: each app bundles its own.
// Styles: @sealtime/shared/ui/person-day.css (the admin app has the same rules in its own sheet).
export { PersonDayView, type PersonDayViewProps } from './PersonDayView.js';
export { AlertList, ActivityMeter } from './AlertList.js';
export { ManualTimeList, type ManualTimeListProps } from './ManualTimeList.js';
export {
  formatAgo,
  formatDate,
  formatDateTime,
  formatDuration,
  formatHm,
  formatPercent,
  formatShortDate,
  formatTime,
} from './format.js';
