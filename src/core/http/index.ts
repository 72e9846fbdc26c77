/** @module core/http — the HTTP core shared by every service client. */
export * from './client.js';
export * from './server-text.js';
export * from './tls.js';
export { defaultTransport, type TransportName } from './transport.js';
export { HEADER_SAFE_TOKEN, headerError, headerSafeToken, isHeaderSafe } from './header-safe.js';
export { isRedirect } from './redirect.js';
