// The naming contract lives in shared/src/wire (the agent and the admin app speak it too);
// this re-export keeps the server's many imports short.
export { dbNames, parseDbName, isValidEntityId, type ParsedDbName } from '@sealtime/shared';
