// @sealtime/agent/testing: what other packages' tests may use of the agent (a real agent, enrolled).
// The one way in from outside; their tests never reach into agent/src.
export { startAgent, type AgentHandle, type StartAgentOptions } from '../compose.js';
export { agentPaths, enrollDevice, unlockAgentKeystore } from '../enroll/index.js';
export { startAgentTestServer, type AgentTestServer } from '../cli/test-support/agent-server.js';
export { META_CONTENT_SECURITY_POLICY } from '../tray/content-security-policy.js';
