/**
 * @module services/proxy/sim/access-lists
 * `/api/nginx/access-lists`: basic-auth users (passwords masked on the way out, an
 * update with an empty password keeps the stored one) and client allow/deny rules.
 */
import type { BodySchemas } from './schemas.js';
import { checkBody, expandOf, idParam, notFound, type NpmCall, type NpmRoute } from './route.js';
import { publicRow, type NpmStore, type Row } from './store.js';

const EXPAND = ['owner', 'items', 'clients', 'proxy_hosts'] as const;

/** An access list object with the asked-for expansions and `proxy_host_count`. */
export function accessListJson(db: NpmStore, row: Row, expand: Set<string>): Record<string, unknown> {
  const out = publicRow(row);
  const hosts = db.proxyHosts.live().filter((h) => h.access_list_id === row.id);
  out.proxy_host_count = hosts.length;
  if (expand.has('items')) {
    out.items = db.accessListItems.live().filter((i) => i.access_list_id === row.id).map((i) => {
      const item = publicRow(i);
      const pw = String(i.password);
      return { ...item, password: '', hint: pw ? `${pw[0]}${'*'.repeat(Math.max(pw.length - 1, 0))}` : '' };
    });
  }
  if (expand.has('clients')) out.clients = db.accessListClients.live().filter((c) => c.access_list_id === row.id).map(publicRow);
  if (expand.has('proxy_hosts')) out.proxy_hosts = hosts.map(publicRow);
  if (expand.has('owner')) {
    const owner = db.users.rows.find((u) => u.id === row.owner_user_id);
    out.owner = owner ? db.userJson(owner) : null;
  }
  return out;
}

/** Replaces the items and clients of a list. */
export function setAccessRules(db: NpmStore, listId: number, data: Record<string, unknown>): void {
  if (Array.isArray(data.items)) {
    const old = db.accessListItems.live().filter((i) => i.access_list_id === listId);
    for (const item of data.items as { username?: string; password?: string }[]) {
      const kept = old.find((o) => o.username === item.username);
      db.accessListItems.insert({ access_list_id: listId, username: item.username ?? '', password: item.password || (kept?.password ?? ''), meta: {} });
    }
    old.forEach((o) => db.accessListItems.remove(o));
  }
  if (Array.isArray(data.clients)) {
    db.accessListClients.live().filter((c) => c.access_list_id === listId).forEach((c) => db.accessListClients.remove(c));
    for (const c of data.clients as { address: string; directive: string }[]) db.accessListClients.insert({ access_list_id: listId, address: c.address, directive: c.directive, meta: {} });
  }
}

/** The access list routes. */
export function accessListRoutes(schemas: BodySchemas): NpmRoute[] {
  const base = '/api/nginx/access-lists';
  const find = (call: NpmCall): Row => {
    const row = call.db.accessLists.get(idParam(call));
    if (!row) throw notFound(call.params.id ?? '');
    return row;
  };
  return [
    {
      method: 'GET', path: base, auth: true,
      run: (call) => {
        const expand = expandOf(call, EXPAND);
        const q = call.query.get('query')?.toLowerCase();
        const rows = call.db.accessLists.live().filter((r) => !q || String(r.name).toLowerCase().includes(q));
        rows.sort((a, b) => String(a.name).localeCompare(String(b.name)));
        return { body: rows.map((r) => accessListJson(call.db, r, expand)) };
      },
    },
    { method: 'GET', path: `${base}/:id`, auth: true, run: (call) => ({ body: accessListJson(call.db, find(call), expandOf(call, EXPAND)) }) },
    {
      method: 'POST', path: base, auth: true,
      run: (call) => {
        const data = checkBody(schemas.create, call.body);
        const row = call.db.accessLists.insert({ owner_user_id: Number(call.user?.id), name: data.name, satisfy_any: Boolean(data.satisfy_any), pass_auth: Boolean(data.pass_auth), meta: data.meta ?? {} });
        setAccessRules(call.db, row.id, data);
        call.db.audit(Number(call.user?.id), 'access-list', row.id, 'created', { name: row.name });
        return { status: 201, body: accessListJson(call.db, row, new Set(['owner', 'items', 'clients'])) };
      },
    },
    {
      method: 'PUT', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = find(call);
        const data = checkBody(schemas.update, call.body);
        const { items: _i, clients: _c, ...fields } = data;
        call.db.accessLists.update(row, fields);
        setAccessRules(call.db, row.id, data);
        call.db.audit(Number(call.user?.id), 'access-list', row.id, 'updated', { name: row.name });
        return { body: accessListJson(call.db, row, new Set(['owner', 'items', 'clients'])) };
      },
    },
    {
      method: 'DELETE', path: `${base}/:id`, auth: true,
      run: (call) => {
        const row = find(call);
        call.db.accessLists.remove(row);
        for (const h of call.db.proxyHosts.live().filter((x) => x.access_list_id === row.id)) call.db.proxyHosts.update(h, { access_list_id: 0 });
        call.db.audit(Number(call.user?.id), 'access-list', row.id, 'deleted', { name: row.name });
        return { body: true };
      },
    },
  ];
}
