export * from './attendance-book.js';
