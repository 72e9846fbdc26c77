/**
 * @module services/proxy/sim/hosts
 * The seven routes NPM gives each host type (proxy, redirection, dead hosts, streams):
 * list (sorted, `?query=`, `?expand=`), get, create (201, domains unique across host
 * types; `certificate_id: "new"` stores the host with its TLS flags off, then issues a
 * certificate and sets only its id, and when certbot fails answers 500 with the host left
 * without one), partial update (`meta` merged,
 * `locations` replaced), soft delete, and enable/disable that refuse a no-op with 400.
 */
import type { BodySchemas } from './schemas.js';
import { certJson, issueLetsEncrypt, type CertbotOptions } from './certificates.js';
import { nginxTest } from './nginx.js';
import { checkBody, expandOf, idParam, notFound, NpmError, type NpmCall, type NpmRoute } from './route.js';
import { publicRow, type NpmStore, type Row, type Table } from './store.js';
import { accessListJson } from './access-lists.js';

/** One host type. */
export interface HostKind {
  /** URL segment: `proxy-hosts`. */
  path: string;
  /** Audit log `object_type`: `proxy-host`. */
  objectType: string;
  /** Directory of the generated nginx config. */
  nginxDir: string;
  table(db: NpmStore): Table;
  schemas: BodySchemas;
  expand: readonly string[];
  /** Values of a new row's omitted fields. */
  defaults: Record<string, unknown>;
  /** Whether the type has `domain_names` that must be unique. */
  domains: boolean;
}

function normaliseTls(row: Row): void {
  if (!('ssl_forced' in row)) return;
  if (!row.certificate_id) Object.assign(row, { ssl_forced: false, http2_support: false });
  if (!row.ssl_forced) row.hsts_enabled = false;
  if (!row.hsts_enabled) row.hsts_subdomains = false;
}

function domainsInUse(db: NpmStore, domains: string[], self?: { table: Table; id: number }): void {
  for (const table of [db.proxyHosts, db.redirectionHosts, db.deadHosts]) {
    for (const host of table.live()) {
      if (self && self.table === table && self.id === host.id) continue;
      const used = (host.domain_names as string[]).map((d) => d.toLowerCase());
      const clash = domains.find((d) => used.includes(d.toLowerCase()));
      if (clash) throw new NpmError(400, `${clash} is already in use`);
    }
  }
}

/** A host object with the asked-for expansions. */
export function hostJson(db: NpmStore, row: Row, expand: Set<string>): Record<string, unknown> {
  const out = publicRow(row);
  if (expand.has('owner')) {
    const owner = db.users.rows.find((u) => u.id === row.owner_user_id);
    out.owner = owner ? db.userJson(owner) : null;
  }
  if (expand.has('certificate')) {
    const cert = row.certificate_id ? db.certificates.get(Number(row.certificate_id)) : undefined;
    out.certificate = cert ? certJson(db, cert, { forHost: true }) : null;
  }
  if (expand.has('access_list')) {
    const list = row.access_list_id ? db.accessLists.get(Number(row.access_list_id)) : undefined;
    out.access_list = list ? accessListJson(db, list, new Set(['items', 'clients'])) : null;
  }
  return out;
}

function sortKey(row: Row): string {
  return 'domain_names' in row ? JSON.stringify(row.domain_names) : String(row.incoming_port).padStart(5, '0');
}

/** The routes of one host type. */
export function hostRoutes(kind: HostKind, certbot: CertbotOptions): NpmRoute[] {
  const base = `/api/nginx/${kind.path}`;
  const find = (call: NpmCall): Row => {
    const row = kind.table(call.db).get(idParam(call));
    if (!row) throw notFound(call.params.id ?? '');
    return row;
  };
  /** `certificate_id: "new"` → a Let's Encrypt certificate for `domains` (DNS-01 only when the host's `meta` asks for it). */
  const withCert = (call: NpmCall, data: Record<string, unknown>, domains: string[], meta: unknown): void => {
    if (data.certificate_id !== 'new') return;
    const dns = (meta as { dns_challenge?: unknown } | undefined)?.dns_challenge === true;
    data.certificate_id = issueLetsEncrypt(call.db, domains, Number(call.user?.id), certbot, dns ? { dns_challenge: true } : {}).id;
  };
  const toggle = (enable: boolean): NpmRoute => ({
    method: 'POST', path: `${base}/:id/${enable ? 'enable' : 'disable'}`, auth: true,
    run: (call) => {
      const row = find(call);
      if (Boolean(row.enabled) === enable) throw new NpmError(400, `Host is already ${enable ? 'enabled' : 'disabled'}`);
      kind.table(call.db).update(row, { enabled: enable });
      call.db.audit(Number(call.user?.id), kind.objectType, row.id, enable ? 'enabled' : 'disabled', publicRow(row));
      return { body: true, after: () => { if (enable) nginxTest(row, kind.nginxDir); } };
    },
  });
  return [
    {
      method: 'GET', path: base, auth: true,
      run: (call) => {
        const expand = expandOf(call, kind.expand);
        const q = call.query.get('query')?.toLowerCase();
        const rows = kind.table(call.db).live().filter((r) => !q || sortKey(r).toLowerCase().includes(q));
        rows.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
        return { body: rows.map((r) => hostJson(call.db, r, expand)) };
      },
    },
    { method: 'GET', path: `${base}/:id`, auth: true, run: (call) => ({ body: hostJson(call.db, find(call), expandOf(call, kind.expand)) }) },
    {
      method: 'POST', path: base, auth: true,
      run: (call) => {
        const data = { ...checkBody(kind.schemas.create, call.body) };
        const domains = (data.domain_names as string[] | undefined) ?? [];
        if (kind.domains) domainsInUse(call.db, domains);
        // NPM stores the host first (no certificate yet, so no forced SSL, HTTP/2 or HSTS) and
        // only then asks certbot: when that fails the answer is 500, and the host stays as
        // stored. When it works NPM sets only `certificate_id`: the flags stay off.
        const { certificate_id: certificateId, ...withoutCert } = data;
        const newCert = certificateId === 'new';
        const row = kind.table(call.db).insert({ owner_user_id: Number(call.user?.id), ...kind.defaults, ...(newCert ? withoutCert : data), meta: { ...(data.meta as object | undefined) } });
        normaliseTls(row);
        if (newCert) {
          const cert: Record<string, unknown> = { certificate_id: 'new' };
          withCert(call, cert, domains, data.meta);
          kind.table(call.db).update(row, cert);
          normaliseTls(row);
        }
        call.db.audit(Number(call.user?.id), kind.objectType, row.id, 'created', publicRow(row));
        return { status: 201, body: hostJson(call.db, row, new Set(kind.expand)), after: () => nginxTest(row, kind.nginxDir) };
      },
    },
    {
      method: 'PUT', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = find(call);
        const data = { ...checkBody(kind.schemas.update, call.body) };
        const domains = (data.domain_names as string[] | undefined) ?? (row.domain_names as string[] | undefined) ?? [];
        if (kind.domains && data.domain_names) domainsInUse(call.db, domains, { table: kind.table(call.db), id: row.id });
        withCert(call, data, domains, { ...(row.meta as object | undefined), ...(data.meta as object | undefined) });
        if (data.meta) data.meta = { ...(row.meta as object), ...data.meta };
        kind.table(call.db).update(row, data);
        normaliseTls(row);
        call.db.audit(Number(call.user?.id), kind.objectType, row.id, 'updated', publicRow(row));
        return { body: hostJson(call.db, row, new Set(kind.expand)), after: () => { if (row.enabled) nginxTest(row, kind.nginxDir); } };
      },
    },
    {
      method: 'DELETE', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = find(call);
        kind.table(call.db).remove(row);
        call.db.audit(Number(call.user?.id), kind.objectType, row.id, 'deleted', publicRow(row));
        return { body: true };
      },
    },
    toggle(true),
    toggle(false),
  ];
}
