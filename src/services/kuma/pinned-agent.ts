/**
 * @module services/kuma/pinned-agent
 * An HTTPS agent for the Socket.IO websocket that enforces a pinned certificate
 * fingerprint, like the HTTP core does for REST calls: the chain is not checked, the
 * leaf's SHA-256 must equal the pin, and the socket is handed over (so the upgrade
 * request, and later the login, is written) only after the check passed; and the
 * socket.io-client options that use it (`socketOptions`), with the size cap of a message.
 */
import { Agent } from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';
import type { Socket } from 'node:net';
import { TlsError } from '../../core/errors.js';
import { MAX_ANSWER_BYTES, normaliseFingerprint } from '../../core/http/index.js';

type Created = (err: Error | null, socket?: Socket) => void;

/** An agent whose connections must present the certificate with fingerprint `pin`. */
export function pinnedAgent(service: string, pin: string): Agent {
  const expected = normaliseFingerprint(pin);
  const agent = new Agent({ keepAlive: false });
  const createConnection = (options: ConnectionOptions, callback: Created): undefined => {
    const socket = connect({ ...options, rejectUnauthorized: false });
    const fail = (err: Error): void => { socket.destroy(); callback(err); };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const actual = socket.getPeerCertificate().fingerprint256;
      if (!actual || normaliseFingerprint(actual) !== expected) {
        return fail(new TlsError(service, `TLS certificate fingerprint ${actual ?? '(none)'} does not match the pinned ${expected}; credentials were not sent`, actual,
          `if the certificate was renewed on purpose, set services.${service}.fingerprint: "${actual}"`));
      }
      callback(null, socket);
    });
    return undefined;
  };
  return Object.assign(agent, { createConnection });
}

/**
 * The socket.io-client options of a Kuma session at `url`: the websocket only, reconnecting
 * quickly, `timeoutMs` to connect, messages capped like HTTP answers, and the pinned agent.
 */
export function socketOptions(url: string, timeoutMs: number, fingerprint?: string): Record<string, unknown> {
  return {
    transports: ['websocket'], reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 2000, timeout: timeoutMs,
    // The cap of an HTTP answer holds for a Socket.IO message too (ws's own default is 100 MiB); engine.io-client hands `maxPayload` to ws.
    maxPayload: MAX_ANSWER_BYTES,
    // engine.io-client hands `agent` to ws (and so to https.request) as is.
    ...(url.startsWith('https:') && fingerprint ? { agent: pinnedAgent('kuma', fingerprint) } : {}),
  };
}
