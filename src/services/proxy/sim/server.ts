/**
 * @module services/proxy/sim/server
 * An Nginx Proxy Manager backend on 127.0.0.1, per the fact sheet: exact case-sensitive
 * routes under `/api/`, JWT auth with NPM's odd answers (no token 403, or the observed
 * 404; expired 400 `Token has expired`; a bad token 500 `Internal Error`), strict body
 * schemas, soft deletes, and nginx config tests writing `meta.nginx_online`/`nginx_err`.
 */
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { sendJson, startSimServer, type SimRequest } from '../../../lab/sim-server.js';
import { accessListRoutes } from './access-lists.js';
import { accountRoutes } from './account.js';
import { certificateRoutes, type CertbotOptions } from './certificates.js';
import { hostRoutes, type HostKind } from './hosts.js';
import { signingKeys, verifyJwt } from './jwt.js';
import { NpmError, type NpmCall, type NpmRoute } from './route.js';
import { bodySchemas, versionNumber } from './schemas.js';
import { lab } from '../../../lab/inventory.js';
import { seededUsers, seedProxy, type SeededUsers } from './seed.js';
import { NpmStore, type Row } from './store.js';

/** Options of the NPM simulator. */
export interface ProxySimOptions extends SimStartOptions {
  port?: number;
  /** Backend version; gates `setup`, `trust_forwarded_proto`, redirect `auto`, cert meta keys. Default 2.15.1. */
  version?: string;
  /** Lifetime of tokens from `POST /api/tokens`; default 1 day. */
  tokenLifetimeMs?: number;
  /** false: an empty database (no user yet, `setup: false`). Default true. */
  setup?: boolean;
  /** Answer to a protected call without a token: 403 (source) or 404 (observed on v2.15.1). Default 403. */
  unauthenticatedStatus?: 403 | 404;
  /** 'fail': certbot fails, Let's Encrypt requests answer 500. Default 'ok'. */
  letsEncrypt?: CertbotOptions['letsEncrypt'];
}

/** A running NPM simulator. */
export interface ProxySim extends LabSim {
  db: NpmStore;
  users: SeededUsers;
  /** Moves the simulator's clock forward (tokens expire on the server's clock). */
  advanceClock(ms: number): void;
  /** The simulated certbot; tests may set `letsEncrypt: 'fail'` on a running simulator. */
  certbot: CertbotOptions;
}

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.split('/').map((part) => {
    if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(part.slice(1));
    return '([^/]+)';
  }).join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

function parseJsonBody(sim: SimRequest): unknown {
  if (!sim.body) return undefined;
  const type = sim.req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(sim.body));
  try {
    return JSON.parse(sim.body) as unknown;
  } catch (err) {
    throw new NpmError(400, (err as Error).message);
  }
}

/** Starts the NPM simulator seeded with the lab's hosts. */
export async function startProxySim(options: ProxySimOptions = {}): Promise<ProxySim> {
  const version = options.version ?? '2.15.1';
  const v = versionNumber(version);
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const db = new NpmStore(() => new Date(now()));
  if (options.setup !== false) seedProxy(db, v >= 21400);
  const schemas = bodySchemas(version);
  const certbot: CertbotOptions = { letsEncrypt: options.letsEncrypt ?? 'ok', days: 90 };
  const kinds: HostKind[] = [
    { path: 'proxy-hosts', objectType: 'proxy-host', nginxDir: 'proxy_host', table: (d) => d.proxyHosts, schemas: schemas.proxy, expand: ['owner', 'access_list', 'certificate'], domains: true,
      defaults: { access_list_id: 0, certificate_id: 0, ssl_forced: false, caching_enabled: false, block_exploits: false, advanced_config: '', allow_websocket_upgrade: false, http2_support: false, enabled: true, locations: null, hsts_enabled: false, hsts_subdomains: false, ...(v >= 21400 ? { trust_forwarded_proto: false } : {}) } },
    { path: 'redirection-hosts', objectType: 'redirection-host', nginxDir: 'redirection_host', table: (d) => d.redirectionHosts, schemas: schemas.redirection, expand: ['owner', 'certificate'], domains: true,
      defaults: { preserve_path: false, certificate_id: 0, ssl_forced: false, block_exploits: false, advanced_config: '', http2_support: false, enabled: true, hsts_enabled: false, hsts_subdomains: false } },
    { path: 'dead-hosts', objectType: 'dead-host', nginxDir: 'dead_host', table: (d) => d.deadHosts, schemas: schemas.dead, expand: ['owner', 'certificate'], domains: true,
      defaults: { certificate_id: 0, ssl_forced: false, advanced_config: '', http2_support: false, enabled: true, hsts_enabled: false, hsts_subdomains: false } },
    { path: 'streams', objectType: 'stream', nginxDir: 'stream', table: (d) => d.streams, schemas: schemas.stream, expand: ['owner', 'certificate'], domains: false,
      defaults: { tcp_forwarding: false, udp_forwarding: false, enabled: true, certificate_id: 0 } },
  ];
  const routes: NpmRoute[] = [
    ...accountRoutes({ version, reportsSetup: v >= 21300, tokenLifetimeMs: options.tokenLifetimeMs ?? 86_400_000, now }),
    ...kinds.flatMap((k) => hostRoutes(k, certbot)),
    ...certificateRoutes(certbot, schemas.certificate),
    ...accessListRoutes(schemas.accessList),
  ];
  const compiled = routes.map((r) => ({ route: r, ...compile(r.path) }));
  const { publicKey } = await signingKeys();

  const authenticate = (sim: SimRequest, required: boolean): { user?: Row; token?: string } => {
    const m = /^Bearer (.+)$/.exec(sim.req.headers.authorization ?? '');
    if (!m) {
      if (!required) return {};
      if (options.unauthenticatedStatus === 404) throw new NpmError(404, `Not Found - ${sim.path.replace(/^\/api/, '')}`);
      throw new NpmError(403, 'Permission Denied');
    }
    const token = m[1] as string;
    const claims = verifyJwt(token, publicKey, now() / 1000);
    if (claims === 'invalid') throw new NpmError(500, 'Internal Error');
    if (claims === 'expired') throw new NpmError(400, 'Token has expired');
    const user = db.users.get(claims.attrs.id);
    if (!claims.scope.includes('user') || !user || user.is_disabled) throw new NpmError(403, 'Permission Denied');
    return { user, token };
  };

  const server = await startSimServer({
    name: 'proxy',
    port: options.port,
    tls: options.tls,
    faults: { latencyMs: options.latencyMs ?? 0 },
    async handle(sim) {
      if (sim.path === '/api' && sim.method === 'GET') {
        sim.res.writeHead(302, { location: '/api/' }).end();
        return;
      }
      try {
        const hit = compiled.map((c) => ({ c, m: c.route.method === sim.method ? c.regex.exec(sim.path) : null })).find((x) => x.m);
        if (!hit || !hit.m) throw new NpmError(404, `Not Found - ${sim.req.url?.replace(/^\/api/, '') ?? sim.path}`);
        const params = Object.fromEntries(hit.c.names.map((n, i) => [n, decodeURIComponent(hit.m?.[i + 1] ?? '')]));
        let who: { user?: Row; token?: string } = {};
        try {
          who = authenticate(sim, hit.c.route.auth);
        } catch (err) {
          if (hit.c.route.auth) throw err;
        }
        const call: NpmCall = { sim, db, params, query: sim.query, body: parseJsonBody(sim), ...who };
        const answer = await hit.c.route.run(call);
        sendJson(sim.res, answer.status ?? 200, answer.body);
        answer.after?.();
      } catch (err) {
        if (!(err instanceof NpmError)) throw err;
        const error: Record<string, unknown> = { code: err.status, message: err.message };
        if (err.i18n) error.message_i18n = err.i18n;
        sendJson(sim.res, err.status, { error });
      }
    },
  });
  const users = structuredClone(seededUsers);
  return {
    ...server,
    service: 'proxy',
    // dns_name: the lab's apps are CNAMEs to the proxy's own record (homelab expose follows it).
    configSection: { url: server.url, ...(server.fingerprint ? { fingerprint: server.fingerprint } : {}), dns_name: `proxy.${lab.zone}` },
    credentials: { dir: 'npm', values: { NPM_EMAIL: users.automation.email, NPM_PASSWORD: users.automation.password } },
    db, users, certbot,
    advanceClock(ms) { offset += ms; },
  };
}
