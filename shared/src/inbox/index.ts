// Signed documents the organisation sends down to devices through the inbox.
export * from './recipients-document.js';
export * from './policy-document.js';
export * from './decision-document.js';
export * from './inbox-doc.js';
export * from './withdrawal-document.js';
export * from './deletion-marker.js';
