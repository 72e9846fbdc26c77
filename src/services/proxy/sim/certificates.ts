/**
 * @module services/proxy/sim/certificates
 * `/api/nginx/certificates`: Let's Encrypt certificates (issued synchronously; with the
 * `letsEncrypt: 'fail'` option, or for a wildcard over HTTP-01, certbot "fails" and the
 * call answers 500 with nothing stored) and custom ones, whose `meta` carries the private
 * key as on a real server. Delete is a soft delete that leaves the hosts using it as they are.
 */
import { npmTimestamp, publicRow, type NpmStore, type Row } from './store.js';
import { checkBody, expandOf, idParam, notFound, NpmError, type NpmRoute } from './route.js';
import type { JsonSchema } from './json-schema.js';

/** Behaviour of the simulated certbot. */
export interface CertbotOptions {
  letsEncrypt: 'ok' | 'fail';
  /** Lifetime of issued certificates; Let's Encrypt gives 90 days. */
  days: number;
}

/**
 * Issues a Let's Encrypt certificate for `domains`, or throws 500 like a failed certbot run:
 * with the `fail` option, and for a wildcard asked over HTTP-01 (Let's Encrypt issues
 * wildcards only through DNS-01; NPM does not check this itself, certbot fails).
 */
export function issueLetsEncrypt(db: NpmStore, domains: string[], userId: number, certbot: CertbotOptions, meta: Record<string, unknown> = {}): Row {
  if (certbot.letsEncrypt === 'fail') throw new NpmError(500, 'Internal Error');
  if (meta.dns_challenge !== true && domains.some((d) => d.startsWith('*.'))) throw new NpmError(500, 'Internal Error');
  const row = db.certificates.insert({
    owner_user_id: userId, provider: 'letsencrypt', nice_name: domains.join(', '), domain_names: domains,
    expires_on: npmTimestamp(new Date(db.now().getTime() + certbot.days * 86_400_000)),
    meta: { dns_challenge: false, key_type: 'rsa', ...meta },
  });
  db.audit(userId, 'certificate', row.id, 'created', { domain_names: domains, provider: 'letsencrypt' });
  return row;
}

/** A certificate object; `forHost` empties `meta` as a host's expanded certificate does. Never echoes DNS credentials. */
export function certJson(db: NpmStore, row: Row, options: { forHost?: boolean; expand?: Set<string> } = {}): Record<string, unknown> {
  const out = publicRow(row);
  const meta = { ...(row.meta as Record<string, unknown>) };
  delete meta.dns_provider_credentials;
  out.meta = options.forHost ? {} : meta;
  if (options.expand?.has('owner')) {
    const owner = db.users.rows.find((u) => u.id === row.owner_user_id);
    out.owner = owner ? db.userJson(owner) : null;
  }
  return out;
}

/** The certificate routes. */
export function certificateRoutes(certbot: CertbotOptions, schema: JsonSchema): NpmRoute[] {
  const base = '/api/nginx/certificates';
  const allowed = ['owner', 'proxy_hosts', 'redirection_hosts', 'dead_hosts', 'streams'];
  return [
    {
      method: 'GET', path: base, auth: true,
      run: ({ db, query, ...call }) => {
        const expand = expandOf({ db, query, ...call }, allowed);
        const q = query.get('query')?.toLowerCase();
        const rows = db.certificates.live().filter((r) => !q || String(r.nice_name).toLowerCase().includes(q));
        rows.sort((a, b) => String(a.nice_name).localeCompare(String(b.nice_name)));
        return { body: rows.map((r) => certJson(db, r, { expand })) };
      },
    },
    {
      method: 'GET', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = call.db.certificates.get(idParam(call));
        if (!row) throw notFound(call.params.id ?? '');
        return { body: certJson(call.db, row, { expand: expandOf(call, allowed) }) };
      },
    },
    {
      method: 'POST', path: base, auth: true,
      run: ({ db, body, user }) => {
        const data = checkBody(schema, body);
        const userId = Number(user?.id);
        const domains = (data.domain_names as string[] | undefined) ?? [];
        const meta = (data.meta as Record<string, unknown> | undefined) ?? {};
        if (data.provider === 'letsencrypt') {
          if (domains.length === 0) throw new NpmError(400, 'data must have required property \'domain_names\'');
          return { status: 201, body: certJson(db, issueLetsEncrypt(db, domains, userId, certbot, meta)) };
        }
        const row = db.certificates.insert({
          owner_user_id: userId, provider: 'other', nice_name: String(data.nice_name ?? domains.join(', ')), domain_names: domains,
          expires_on: npmTimestamp(new Date(db.now().getTime() + 365 * 86_400_000)), meta,
        });
        db.audit(userId, 'certificate', row.id, 'created', { nice_name: row.nice_name, provider: 'other' });
        return { status: 201, body: certJson(db, row) };
      },
    },
    {
      method: 'DELETE', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = call.db.certificates.get(idParam(call));
        if (!row) throw notFound(call.params.id ?? '');
        // A soft delete only (NPM also revokes a Let's Encrypt one): the hosts using it are not
        // touched, they keep its id (their expanded `certificate` is null from now on).
        call.db.certificates.remove(row);
        call.db.audit(Number(call.user?.id), 'certificate', row.id, 'deleted', { nice_name: row.nice_name });
        return { body: true };
      },
    },
    {
      method: 'POST', path: `${base}/:id/renew`, auth: true,
      run: (call) => {
        const row = call.db.certificates.get(idParam(call));
        if (!row) throw notFound(call.params.id ?? '');
        if (row.provider !== 'letsencrypt') throw new NpmError(400, 'Only Let\'sEncrypt certificates can be renewed');
        if (certbot.letsEncrypt === 'fail') throw new NpmError(500, 'Internal Error');
        call.db.certificates.update(row, { expires_on: npmTimestamp(new Date(call.db.now().getTime() + certbot.days * 86_400_000)) });
        call.db.audit(Number(call.user?.id), 'certificate', row.id, 'renewed', { nice_name: row.nice_name });
        return { body: certJson(call.db, row) };
      },
    },
  ];
}
