export * from './export-own-data.js';
