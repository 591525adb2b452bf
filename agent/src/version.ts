/** The agent's version as reported in device-info records and the CLI. */
export const AGENT_VERSION = '0.1.0';
