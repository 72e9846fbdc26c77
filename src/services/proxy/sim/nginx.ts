/**
 * @module services/proxy/sim/nginx
 * What NPM's `nginx -t` run after each write reports: a host's generated config is
 * tested and `meta.nginx_online` / `meta.nginx_err` written back. The simulator checks
 * the custom nginx snippets (`advanced_config`, custom locations) for unknown
 * directives and unbalanced braces, the errors people actually hit.
 */
import type { Row } from './store.js';

const DIRECTIVES = new Set([
  'add_header', 'allow', 'auth_basic', 'auth_basic_user_file', 'client_body_buffer_size', 'client_max_body_size', 'deny',
  'error_page', 'expires', 'gzip', 'gzip_types', 'if', 'include', 'limit_req', 'location', 'more_set_headers', 'proxy_buffer_size',
  'proxy_buffering', 'proxy_buffers', 'proxy_connect_timeout', 'proxy_hide_header', 'proxy_http_version', 'proxy_pass',
  'proxy_read_timeout', 'proxy_redirect', 'proxy_request_buffering', 'proxy_send_timeout', 'proxy_set_header', 'proxy_ssl_verify',
  'real_ip_header', 'resolver', 'return', 'rewrite', 'root', 'satisfy', 'send_timeout', 'set', 'sub_filter', 'sub_filter_once',
  'try_files', 'add_trailer', 'access_log', 'error_log', 'index', 'autoindex', 'charset', 'default_type', 'keepalive_timeout',
]);

/** Tests a config snippet; returns nginx's error line or undefined. `file` names the generated config. */
export function testSnippet(snippet: string, file: string): string | undefined {
  let depth = 0;
  const lines = snippet.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (!line) continue;
    const word = /^[a-z_]+/i.exec(line)?.[0];
    if (line.startsWith('}')) depth--;
    else if (!word || !DIRECTIVES.has(word)) return `nginx: [emerg] unknown directive "${line.split(/\s+/)[0]}" in ${file}:${i + 20}`;
    if (line.endsWith('{')) depth++;
    if (depth < 0) return `nginx: [emerg] unexpected "}" in ${file}:${i + 20}`;
  }
  if (depth !== 0) return `nginx: [emerg] unexpected end of file, expecting "}" in ${file}:${lines.length + 20}`;
  return undefined;
}

/** Runs the config test for a host row and writes the result into its `meta`. */
export function nginxTest(row: Row, dir: string): void {
  const file = `/data/nginx/${dir}/${row.id}.conf`;
  const snippets = [String(row.advanced_config ?? '')];
  for (const loc of (row.locations as { advanced_config?: string }[] | null) ?? []) snippets.push(loc.advanced_config ?? '');
  const err = snippets.map((s) => testSnippet(s, file)).find((e) => e !== undefined);
  row.meta = { ...(row.meta as Record<string, unknown>), nginx_online: err === undefined, nginx_err: err ?? null };
}
