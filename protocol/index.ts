export * from './errors.js';
export * from './worker-messages.js';
