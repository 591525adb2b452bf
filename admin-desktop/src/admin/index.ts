// The admin use-cases, for the CLI and (later) the desktop app: no electron, no React.
export * from './admin-error.js';
export * from './admin-context.js';
export * from './server-client.js';
export * from './profile-store.js';
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
