export * from './project-ref.js';
export * from './project-types.js';
export * from './validate-project.js';
export * from './project-document.js';
export * from './project-time.js';
export * from './project-report.js';
export * from './project-manual.js';
