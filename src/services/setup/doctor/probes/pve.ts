/**
 * @module services/setup/doctor/probes/pve
 * PVE: the token's form, `/version`, and what the token may do from
 * `/access/permissions` — with privilege separation (the default) a token only has
 * the ACLs granted to the token itself, the usual reason a fresh token sees nothing.
 */
import { z } from 'zod';
import { expectShape } from '../../../../core/http/index.js';
import { isPveTokenId, pveAuthHeader } from '../../../pve/api-token.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeHttp, type Probe } from './types.js';

/** Privileges homelab uses, by feature, and where PVE checks them. */
const FEATURES: { feature: string; required: boolean; privs: [string, string][] }[] = [
  { feature: 'read guests, nodes, storage', required: true, privs: [['/vms', 'VM.Audit'], ['/nodes', 'Sys.Audit'], ['/storage', 'Datastore.Audit']] },
  { feature: 'power actions', required: false, privs: [['/vms', 'VM.PowerMgmt']] },
  { feature: 'snapshots', required: false, privs: [['/vms', 'VM.Snapshot']] },
  { feature: 'node updates (apt)', required: false, privs: [['/nodes', 'Sys.Modify']] },
];

/** Whether `priv` holds on `path` from the permission map (exact path, or an ancestor that propagates). */
export function hasPriv(perms: Record<string, Record<string, number>>, path: string, priv: string): boolean {
  if (perms[path]?.[priv] !== undefined) return true;
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const ancestor = `/${parts.slice(0, i).join('/')}`;
    if (perms[ancestor]?.[priv] === 1) return true;
  }
  return false;
}

/** The PVE probe. */
export const probePve: Probe = async (input) => {
  const id = input.credentials.PVE_TOKEN_ID ?? '';
  if (!isPveTokenId(id)) {
    return [check('pve', 'token', 'fail', 'PVE_TOKEN_ID is not of the form user@realm!tokenid',
      `set PVE_TOKEN_ID=user@realm!tokenid and PVE_TOKEN_SECRET=<uuid> (separately) in ${input.credentialsPath}`)];
  }
  const http = probeHttp('pve', input, '/api2/json', { authorization: pveAuthHeader(id, input.credentials.PVE_TOKEN_SECRET ?? '') });
  const out: DoctorCheck[] = [];
  try {
    const body = await http.json({ method: 'GET', path: '/version', signal: input.signal });
    const version = z.object({ data: z.object({ version: z.string() }) }).safeParse(body);
    out.push(check('pve', 'answers', 'pass', `Proxmox VE ${version.success ? version.data.data.version : '(version unknown)'}, API token accepted`));
  } catch (err) {
    return [failed('pve', 'answers', err)];
  }
  try {
    const body = await http.json({ method: 'GET', path: '/access/permissions', signal: input.signal });
    const perms = expectShape('pve', 'GET /access/permissions', z.object({ data: z.record(z.string(), z.record(z.string(), z.number())) }), body).data;
    const missing = FEATURES.map((f) => ({ ...f, lacking: f.privs.filter(([p, priv]) => !hasPriv(perms, p, priv)) })).filter((f) => f.lacking.length);
    const role = 'pveum role add Homelab --privs "VM.Audit VM.PowerMgmt VM.Snapshot VM.Snapshot.Rollback Sys.Audit Sys.Modify Datastore.Audit"';
    const fix = `${role} && pveum acl modify / --tokens '<PVE_TOKEN_ID>' --roles Homelab`;
    if (!missing.length) out.push(check('pve', 'privileges', 'pass', `token may ${FEATURES.map((f) => f.feature).join(', ')}`));
    else {
      const required = missing.some((f) => f.required);
      const lacking = missing.map((f) => `${f.feature} (${f.lacking.map(([p, priv]) => `${priv} on ${p}`).join(', ')})`).join('; ');
      const privsep = Object.keys(perms).length === 0 ? 'the token has no privileges at all: with privilege separation a token only has the ACLs granted to the token itself; ' : '';
      out.push(check('pve', 'privileges', required ? 'fail' : 'warn', `${privsep}token may not: ${lacking}`, fix));
    }
  } catch (err) {
    out.push(failed('pve', 'privileges', err));
  }
  return out;
};
