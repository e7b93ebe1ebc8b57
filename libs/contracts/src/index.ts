export * from './account.js';
export * from './claims.js';
export * from './error-codes.js';
export * from './events.js';
export * from './event-docs.js';
