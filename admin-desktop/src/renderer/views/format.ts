// Moved to @sealtime/shared/ui (the agent's privacy centre uses them too); kept so the views' imports stay short.
export {
  formatAgo,
  formatDate,
  formatDateTime,
  formatDuration,
  formatHm,
  formatPercent,
  formatShortDate,
  formatTime,
} from '@sealtime/shared/ui';
