export * from './project-ref.js';
