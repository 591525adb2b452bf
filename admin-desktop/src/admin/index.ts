// The admin use-cases, pure: no Node builtins, no HTTP client, no electron, no React. The CLI, the
// app's core and `npm start` call them with the Node adapters of ./node (or anything meeting ./ports.ts).
export * from './admin-error.js';
export * from './ports.js';
export * from './key-custody.js';
export * from './directory-docs.js';
export * from './inbox-publisher.js';
export * from './org-setup.js';
export * from './people-setup.js';
export * from './accounts.js';
export * from './enrollment.js';
export * from './policy-layer-input.js';
export * from './policy-publishing.js';
export * from './record-reader.js';
export * from './corrections.js';
export * from './review-day.js';
export * from './manual-time.js';
export * from './productivity-publishing.js';
