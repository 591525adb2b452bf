// @sealtime/agent: the agent as a library, for the root tools that run one (`npm start`, the benches).
// Apps never import it (layering.test.ts); tests use @sealtime/agent/testing.
export { startAgent, type AgentHandle, type AgentStatus, type StartAgentOptions } from './compose.js';
export { agentPaths, enrollDevice, unlockAgentKeystore, type AgentPaths, type EnrollResult } from './enroll/index.js';
