// Moved to @sealtime/shared/ui (the agent's privacy centre shows the same alerts).
export { AlertList, ActivityMeter } from '@sealtime/shared/ui';
