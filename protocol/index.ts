export * from './api-messages.js';
export * from './binary-output.js';
export * from './errors.js';
export * from './limits.js';
export * from './worker-messages.js';
