export {
  openAgentStore,
  StoreError,
  type AgentStore,
  type AgentCollections,
  type AgentDatabase,
  type StateDoc,
  type OpenStoreOptions,
} from './agent-store.js';
export { Backlog, type BacklogStatus, type SyncErrorInfo } from './backlog.js';
export * from './disk-budget.js';
export { directoryBytes } from './disk-usage.js';
export { blobDocId, blobSeqOf } from './ids.js';
export { createAgentLogger, silentLogger, type Logger } from './logger.js';
