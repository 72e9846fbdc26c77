/**
 * The MCP HTTP server bound to loopback answers only a Host that names loopback: a page whose
 * name an attacker rebinds to 127.0.0.1 (DNS rebinding) is refused before anything else, the
 * right token included; an SSH tunnel's `localhost:<port>` and `127.0.0.1:<port>` pass.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { RAW_HEADERS, initializeBody, startServer } from './helpers.js';

const lab = useLab({ services: ['pve'] });
let server: McpHttpServer;
beforeAll(async () => { server = await startServer(lab.current, 'read'); });
afterAll(async () => { await server?.close(); });

/** POSTs an `initialize` with the token to the server on 127.0.0.1, saying `Host: host`. */
function initializeAs(host: string): Promise<{ status: number; body: string }> {
  const body = initializeBody('host-check');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/mcp', method: 'POST', headers: { ...RAW_HEADERS, host, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Host header of the MCP HTTP server', () => {
  it('refuses a name that is not loopback (DNS rebinding), the right token and all', async () => {
    for (const host of [`rebind.attacker.example:${server.port}`, 'rebind.attacker.example', `10.5.0.102:${server.port}`, `localhost.attacker.example:${server.port}`]) {
      const answer = await initializeAs(host);
      expect(answer.status, host).toBe(421);
      expect(answer.body).toContain('this server answers only a loopback Host');
    }
  });

  it('answers a loopback Host: 127.0.0.1, localhost (an SSH tunnel), [::1], another 127.x address', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `127.0.0.2:${server.port}`, 'LOCALHOST']) {
      const answer = await initializeAs(host);
      expect(answer.status, host).toBe(200);
      expect(answer.body).toContain('"serverInfo"');
    }
  });
});
