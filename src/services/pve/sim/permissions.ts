/**
 * @module services/pve/sim/permissions
 * PVE's `check_api2_permissions`: evaluates an endpoint's `permissions` from the schema
 * (`["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]`, with `"any", 1`, and `and` / `or`
 * combinations) against the caller's privileges, raising 403
 * `Permission check failed (/vms/105, VM.PowerMgmt)` as PVE does.
 */
import { permError } from './errors.js';
import type { Identity } from './identities.js';
import type { PermCheck, Permissions } from './schema.js';

/** Replaces `{name}` in an ACL path with the call's parameters. */
function fillPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** Whether the identity has one of (`any`) or all of `privs` on `path`; throws 403 unless `noerr`. */
export function checkPrivs(identity: Identity, path: string, privs: readonly string[], any: boolean, noerr = false): boolean {
  const missing = privs.filter((p) => !identity.privileges.has(p));
  const ok = any ? missing.length < privs.length : missing.length === 0;
  if (ok || noerr) return ok;
  throw permError(any ? `${path}, ${privs.join('|')}` : `${path}, ${missing[0] ?? ''}`);
}

function evaluate(identity: Identity, check: PermCheck, params: Record<string, unknown>, noerr: boolean): boolean {
  const [kind, ...rest] = check;
  if (kind === 'perm') {
    const [path, privs, ...opts] = rest;
    const options = new Map<unknown, unknown>();
    for (let i = 0; i + 1 < opts.length; i += 2) options.set(opts[i], opts[i + 1]);
    const required = options.get('require_param');
    if (typeof required === 'string' && params[required] === undefined) return false;
    return checkPrivs(identity, fillPath(String(path), params), Array.isArray(privs) ? privs.map(String) : [], Boolean(options.get('any')), noerr);
  }
  if (kind === 'and' || kind === 'or') {
    const parts = rest.filter(Array.isArray) as PermCheck[];
    const ok = kind === 'and'
      ? parts.every((p) => evaluate(identity, p, params, true))
      : parts.some((p) => evaluate(identity, p, params, true));
    if (!ok && !noerr) throw permError('');
    return ok;
  }
  // userid-group, userid-param, …: not used by the simulated endpoints; only root passes.
  if (identity.userid === 'root@pam') return true;
  if (!noerr) throw permError('');
  return false;
}

/** Enforces an endpoint's permissions (throws 403). No `permissions` member: root@pam only. */
export function enforcePermissions(identity: Identity, permissions: Permissions | undefined, params: Record<string, unknown>): void {
  if (!permissions) {
    if (identity.userid !== 'root@pam') throw permError('');
    return;
  }
  if (permissions.user === 'all' || permissions.user === 'world') return;
  if (permissions.check) evaluate(identity, permissions.check, params, false);
}
