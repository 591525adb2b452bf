export { startControlServer, ControlError, type ControlServer, type ControlHandlers } from './control-server.js';
export { controlRequest, ControlUnavailable, ControlRemoteError } from './control-client.js';
export { controlHandlers, checkCorrectionArgs } from './control-handlers.js';
export * from './control-protocol.js';
export type { AgentHandle } from './agent-handle.js';
