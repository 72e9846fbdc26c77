/** @module core/http — the HTTP core shared by every service client. */
export * from './client.js';
export * from './tls.js';
