/**
 * @module services/proxy/operations-hosts
 * Proxy hosts: `proxy list`, `proxy show`, `proxy add`, `proxy update`. Add and update
 * send only the fields given (NPM rejects unknown keys, and PUT changes only what it
 * is sent), then read the host back for nginx's verdict on the new config. An add with a
 * new certificate then sets the TLS flags NPM dropped on the create (new-cert-flags).
 */
import { z } from 'zod';
import { ApiError, OperationError, UsageError } from '../../core/errors.js';
import { appNameSchema, markerLine } from '../../core/marker.js';
import { shellWord } from '../../core/shell-word.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { table } from '../../core/render.js';
import type { NpmClient, ProxyHostBody } from './client.js';
import { failedCreateWithNewCert } from './failed-create.js';
import { restoreTlsFlags } from './new-cert-flags.js';
import { proxyClientFactory } from './factory.js';
import { certificateCell, daysCell, hostDetail, hostSummary, onlineCell, renderHost, sslCell, type ProxyHostDetail, type ProxyHostSummary } from './hosts-view.js';
import { accessListIdSchema, certIdSchema, domainsSchema, hostRefSchema, refuseWildcardForLetsEncrypt, targetSchema, type ForwardTarget } from './inputs.js';
import { resolveHost } from './resolve.js';

/** `proxy list`. */
export const proxyList = defineOperation({
  id: 'proxy.list',
  summary: 'List proxy hosts: forward target, TLS and days to expiry, nginx state',
  input: z.object({}),
  risk: 'read',
  pages: true,
  examples: ['proxy list', 'proxy list --json'],
  rowDetails: [{ column: 'id', op: 'proxy.show' }],
  async run(ctx): Promise<ProxyHostSummary[]> {
    const client = await ctx.client(proxyClientFactory);
    const now = Date.now();
    return (await client.proxyHosts(ctx.signal)).map((h) => hostSummary(h, now));
  },
  completions: (hosts) => [{ kind: 'proxy.host', values: hosts.flatMap((h) => h.domains.map((d) => ({ value: d, description: h.forward }))) }],
  render: (hosts) => [
    table(['id>', 'domains', 'forward', 'cert', 'expires>', 'ssl', 'state', 'app'], hosts.map((h) => [
      h.id, h.domains.join(', '), h.forward, certificateCell(h), h.certificate ? daysCell(h.certificate.daysLeft) : '-', sslCell(h), onlineCell(h),
      h.app ?? '',
    ]), { empty: 'no proxy hosts' }),
  ],
});

/** `proxy show <id|domain>`. */
export const proxyShow = defineOperation({
  id: 'proxy.show',
  summary: "Show one proxy host in full, with nginx's error if it rejected the config",
  args: ['host'],
  input: z.object({ host: hostRefSchema }),
  risk: 'read',
  examples: ['proxy show git.home.lan', 'proxy show 7 --json'],
  async run(ctx, input): Promise<ProxyHostDetail> {
    const client = await ctx.client(proxyClientFactory);
    return hostDetail(await resolveHost(client, input.host, ctx.signal));
  },
  render: (h) => renderHost(h),
});

const tlsFlags = {
  cert: certIdSchema.optional(),
  newCert: z.boolean().optional().describe("request a Let's Encrypt certificate for the domains (HTTP-01: no *. names; takes a while)"),
  forceSsl: z.boolean().optional().describe('redirect HTTP to HTTPS (needs a certificate)'),
  http2: z.boolean().optional().describe('enable HTTP/2 (needs a certificate)'),
  websockets: z.boolean().optional().describe('allow websocket upgrades'),
  blockExploits: z.boolean().optional().describe('block common exploits'),
  accessList: accessListIdSchema.optional(),
  scheme: z.enum(['http', 'https']).optional().describe('scheme to the backend (default http)'),
};

type TlsFlags = { [K in keyof typeof tlsFlags]?: z.infer<(typeof tlsFlags)[K]> };

/** Domains as a confirmation names them: the first five, then how many more. */
export function shownDomains(domains: readonly string[]): string {
  return domains.length > 5 ? `${domains.slice(0, 5).join(', ')} and ${domains.length - 5} more` : domains.join(', ');
}

/** `host:port` of a forward target (an IPv6 address in brackets). */
const shownTarget = (t: ForwardTarget): string => `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;

/** The TLS and nginx options given, as a confirmation says them (`certificate #3`, `no HTTP/2`). */
function optionWords(input: TlsFlags): string[] {
  const onOff = (on: boolean | undefined, what: string): string => (on === undefined ? '' : on ? what : `no ${what}`);
  return [
    input.newCert ? "a new Let's Encrypt certificate" : input.cert === 0 ? 'no certificate (no TLS)' : input.cert !== undefined ? `certificate #${input.cert}` : '',
    onOff(input.forceSsl, 'forced HTTPS'), onOff(input.http2, 'HTTP/2'), onOff(input.websockets, 'websockets'), onOff(input.blockExploits, 'exploit blocking'),
    input.accessList !== undefined ? `access list #${input.accessList}` : '',
  ].filter(Boolean);
}

function optionsBody(input: TlsFlags): ProxyHostBody {
  if (input.cert !== undefined && input.newCert) throw new UsageError('give either --cert <id> or --new-cert, not both');
  const body: ProxyHostBody = {};
  if (input.scheme !== undefined) body.forward_scheme = input.scheme;
  if (input.newCert) body.certificate_id = 'new';
  else if (input.cert !== undefined) body.certificate_id = input.cert;
  if (input.forceSsl !== undefined) body.ssl_forced = input.forceSsl;
  if (input.http2 !== undefined) body.http2_support = input.http2;
  if (input.websockets !== undefined) body.allow_websocket_upgrade = input.websockets;
  if (input.blockExploits !== undefined) body.block_exploits = input.blockExploits;
  if (input.accessList !== undefined) body.access_list_id = input.accessList;
  return body;
}

function needsCert(body: ProxyHostBody, hasCert: boolean): void {
  if ((body.ssl_forced || body.http2_support) && !hasCert && body.certificate_id === undefined) {
    throw new UsageError('--force-ssl and --http2 need a certificate: add --cert <id> or --new-cert');
  }
}

/**
 * Sends a create or update and reads the host back. A certbot failure (500 with `--new-cert`)
 * is reported by `certFailed`: an update changes nothing then (NPM asks for the certificate
 * before it writes), a create leaves the new host behind (NPM stores it first).
 */
async function write(ctx: OpContext, client: NpmClient, body: ProxyHostBody, action: () => Promise<{ id: number }>, certFailed: () => Promise<OperationError>): Promise<ProxyHostDetail> {
  try {
    const { id } = await action();
    return hostDetail(await client.proxyHost(id, ctx.signal));
  } catch (err) {
    if (body.certificate_id === 'new' && err instanceof ApiError && err.status === 500) throw await certFailed();
    const inUse = err instanceof ApiError && err.status === 400 ? /^proxy: (\S+) is already in use$/.exec(err.message) : null;
    if (inUse) throw new OperationError(`${inUse[1]} is already in use by another host (proxy, redirection or 404 host)`, `see: homelab proxy show ${shellWord(inUse[1] ?? '')}, or homelab proxy redirects / dead-hosts`);
    throw err;
  }
}

/** `proxy add <domains> <host:port>`. */
export const proxyAdd = defineOperation({
  id: 'proxy.add',
  summary: 'Create a proxy host',
  args: ['domains', 'target'],
  input: z.object({
    domains: domainsSchema, target: targetSchema, ...tlsFlags,
    app: appNameSchema.optional().describe("mark the host as homelab's, for this app (a # managed-by: homelab app=<app> line in its advanced config)"),
  }),
  risk: 'change',
  timeoutMs: 330_000,
  confirm: (input) => {
    const options = [...optionWords(input), ...(input.app ? [`marked for app ${input.app}`] : [])];
    return `Create a proxy host for ${shownDomains(input.domains)} → ${input.scheme ?? 'http'}://${shownTarget(input.target)}${options.length ? ` (${options.join(', ')})` : ''}`;
  },
  examples: ['proxy add wiki.home.lan 10.5.0.40:3000', 'proxy add wiki.home.lan 10.5.0.12:3000 --cert 1 --force-ssl --block-exploits --app wiki', 'proxy add app.home.lan,www.app.home.lan 10.5.0.41:8080 --new-cert --force-ssl --http2', 'proxy add vault.home.lan 10.5.0.42:8200 --scheme https --cert 2'],
  async run(ctx, input): Promise<ProxyHostDetail> {
    const body = optionsBody(input);
    needsCert(body, false);
    if (body.certificate_id === 'new') refuseWildcardForLetsEncrypt(input.domains);
    const client = await ctx.client(proxyClientFactory);
    if (body.certificate_id === 'new') ctx.progress("requesting a Let's Encrypt certificate");
    const created = async (): Promise<{ id: number }> => restoreTlsFlags(client, body, await client.createProxyHost({
      domain_names: input.domains, forward_scheme: input.scheme ?? 'http', forward_host: input.target.host, forward_port: input.target.port, ...body,
      ...(input.app ? { advanced_config: markerLine(input.app) } : {}),
    }, ctx.signal), ctx.signal);
    return write(ctx, client, body, created, () => failedCreateWithNewCert(ctx, client, input.domains, input.app));
  },
  render: (h) => renderHost(h, `created proxy host ${h.id}`),
});

/** `proxy update <id|domain> [options]`. */
export const proxyUpdate = defineOperation({
  id: 'proxy.update',
  summary: 'Change a proxy host (only what is given)',
  args: ['host'],
  input: z.object({
    host: hostRefSchema,
    target: targetSchema.optional(),
    domains: domainsSchema.optional(),
    ...tlsFlags,
    cert: z.number({ error: 'cert must be a certificate id' }).int().min(0).optional().describe('use this certificate (0 = no TLS)'),
  }),
  risk: 'change',
  needsOneOf: ['target', 'domains', 'cert', 'newCert', 'forceSsl', 'http2', 'websockets', 'blockExploits', 'accessList', 'scheme'],
  confirm: (input) => {
    const changes = [
      ...(input.target ? [`forward to ${shownTarget(input.target)}`] : []), ...(input.scheme ? [`scheme ${input.scheme}`] : []),
      ...(input.domains ? [`domains ${shownDomains(input.domains)}`] : []), ...optionWords(input),
    ];
    return `Change proxy host ${input.host}: ${changes.join(', ')}`;
  },
  timeoutMs: 330_000,
  examples: ['proxy update git.home.lan --target 10.5.0.13:3000', 'proxy update 7 --websockets --no-block-exploits', 'proxy update media.home.lan --new-cert --force-ssl'],
  async run(ctx, input): Promise<ProxyHostDetail> {
    const body = optionsBody(input);
    if (input.target) Object.assign(body, { forward_host: input.target.host, forward_port: input.target.port });
    if (input.domains) body.domain_names = input.domains;
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option', 'see: homelab proxy update --help');
    const client = await ctx.client(proxyClientFactory);
    const host = await resolveHost(client, input.host, ctx.signal);
    // A certificate NPM has deleted is none: nginx gets no TLS from it, whatever the flags say.
    needsCert(body, Boolean(host.certificate) && body.certificate_id !== 0);
    if (body.certificate_id === 0 && body.ssl_forced) throw new UsageError('--force-ssl needs a certificate; --cert 0 removes it');
    if (body.certificate_id === 'new') {
      refuseWildcardForLetsEncrypt(body.domain_names ?? host.domain_names.map((d) => d.toLowerCase()));
      ctx.progress("requesting a Let's Encrypt certificate");
    }
    return write(ctx, client, body, () => client.updateProxyHost(host.id, body, ctx.signal), async () => new OperationError(
      "Let's Encrypt did not issue a certificate (NPM answered 500; nothing was changed)",
      'the domains must resolve publicly to this NPM with port 80 reachable; or use --cert <id> with an existing certificate'));
  },
  render: (h) => renderHost(h, `updated proxy host ${h.id}`),
});
