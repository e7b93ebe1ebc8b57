export * from './claims.js';
export * from './error-codes.js';
export * from './events.js';
