/** @module core/http — the HTTP core shared by every service client. */
export * from './client.js';
export * from './server-text.js';
export * from './tls.js';
export { defaultTransport, type TransportName } from './transport.js';
