// @sealtime/shared — the pure domain: no I/O, no Electron, no Node builtins.
// Node-only adapters (LevelDB storage) are under ./node, exported as "@sealtime/shared/node".
export * from './result.js';
export * from './records/index.js';
export * from './envelope/index.js';
export * from './keys/index.js';
export * from './policy/index.js';
export * from './schedule/index.js';
export * from './projects/index.js';
export * from './manual-time/index.js';
export * from './productivity/index.js';
export * from './activity/index.js';
export * from './attendance/index.js';
export * from './inbox/index.js';
export * from './views/index.js';
export * from './wire/index.js';
