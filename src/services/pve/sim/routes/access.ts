/**
 * @module services/pve/sim/routes/access
 * Access routes: `GET /access/permissions` (the caller's effective privileges per ACL
 * path, used by `doctor`) and `POST /access/ticket` (root@pam password login).
 */
import { str, type RouteContext, type RouteTable } from '../context.js';
import { PveHttpError } from '../errors.js';
import type { Identity } from '../identities.js';
import { checkPrivs } from '../permissions.js';

/** The ACL paths PVE always reports, beside the ones with ACL entries. */
const PATHS = ['/', '/access', '/access/groups', '/mapping', '/nodes', '/pool', '/sdn', '/storage', '/vms'];

/** The privileges of `identity` on every reported path (all ACLs are on `/`, propagated). */
function permissionTree(identity: Identity, only?: string): Record<string, Record<string, number>> {
  const privs = Object.fromEntries([...identity.privileges].sort().map((p) => [p, 1]));
  const paths = only ? [only] : PATHS;
  return Object.fromEntries(paths.map((p) => [p, { ...privs }]));
}

function permissions(ctx: RouteContext) {
  const userid = str(ctx, 'userid');
  const self = ctx.identity;
  if (userid && userid !== self.authid && !(self.tokenid === undefined && userid.startsWith(`${self.userid}!`))) {
    checkPrivs(self, '/access', ['Sys.Audit'], false);
    const token = ctx.access.tokens.find((t) => t.id === userid);
    const other: Identity = token
      ? { userid: userid.split('!')[0] ?? userid, authid: userid, privileges: new Set(token.privileges) }
      : { userid, authid: userid, privileges: new Set() };
    return { data: permissionTree(other, str(ctx, 'path')) };
  }
  return { data: permissionTree(self, str(ctx, 'path')) };
}

function ticket(ctx: RouteContext) {
  const identity = ctx.access.login(str(ctx, 'username') ?? '', str(ctx, 'realm'), str(ctx, 'password') ?? '');
  // "do not return any info to prevent user enumeration attacks" (pve-access-control)
  if (!identity) throw new PveHttpError(401, 'authentication failure\n');
  const t = ctx.access.issueTicket(identity, Math.floor(ctx.nowMs / 1000));
  const cap = {
    vms: Object.fromEntries([...identity.privileges].filter((p) => p.startsWith('VM.')).map((p) => [p, 1])),
    nodes: Object.fromEntries([...identity.privileges].filter((p) => p.startsWith('Sys.')).map((p) => [p, 1])),
    storage: Object.fromEntries([...identity.privileges].filter((p) => p.startsWith('Datastore.')).map((p) => [p, 1])),
  };
  return { data: { username: identity.userid, ticket: t.ticket, CSRFPreventionToken: t.csrf, clustername: ctx.state.clusterName, cap } };
}

/** The access routes. */
export const accessRoutes: RouteTable = {
  'GET /access/permissions': permissions,
  'POST /access/ticket': ticket,
};
