// @sealtime/shared/node — adapters that need Node builtins or native modules.
export * from './storage-leveldb/index.js';
