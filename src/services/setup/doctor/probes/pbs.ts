/**
 * @module services/setup/doctor/probes/pbs
 * PBS: the token's form — PBS puts `:` between token id and secret where PVE puts `=`
 * (a PVE-style header is refused) — `/version`, and the datastores the token can see.
 */
import { z } from 'zod';
import { expectShape } from '../../../../core/http/index.js';
import { isPbsTokenId, pbsAuthHeader } from '../../../pbs/api-token.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeHttp, type Probe } from './types.js';

/** The PBS probe. */
export const probePbs: Probe = async (input) => {
  const id = input.credentials.PBS_TOKEN_ID ?? '';
  const secret = input.credentials.PBS_TOKEN_SECRET ?? '';
  if (!isPbsTokenId(id)) {
    const glued = /[:=]/.test(id);
    return [check('pbs', 'token', 'fail',
      glued ? `PBS_TOKEN_ID has the secret glued on with "${/:/.test(id) ? ':' : '='}"` : 'PBS_TOKEN_ID is not of the form user@realm!tokenid',
      `put only user@realm!tokenid in PBS_TOKEN_ID and the secret alone in PBS_TOKEN_SECRET (${input.credentialsPath}); homelab joins them with ":" as PBS expects`)];
  }
  if (/^[:=]/.test(secret)) {
    return [check('pbs', 'token', 'fail', 'PBS_TOKEN_SECRET starts with a separator', `remove the leading "${secret[0]}" from PBS_TOKEN_SECRET in ${input.credentialsPath}`)];
  }
  const out: DoctorCheck[] = [check('pbs', 'token', 'pass', 'sent as PBSAPIToken=<PBS_TOKEN_ID>:<PBS_TOKEN_SECRET> (":" before the secret; PVE uses "=")')];
  const http = probeHttp('pbs', input, '/api2/json', { authorization: pbsAuthHeader(id, secret) });
  try {
    const body = await http.json({ method: 'GET', path: '/version', signal: input.signal });
    const v = z.object({ data: z.object({ version: z.string(), release: z.string().optional() }) }).safeParse(body);
    out.push(check('pbs', 'answers', 'pass', `Proxmox Backup Server ${v.success ? [v.data.data.version, v.data.data.release].filter(Boolean).join('.') : '(version unknown)'}, token accepted`));
  } catch (err) {
    out.push(failed('pbs', 'answers', err));
    return out;
  }
  try {
    const body = await http.json({ method: 'GET', path: '/admin/datastore', signal: input.signal });
    const stores = expectShape('pbs', 'GET /admin/datastore', z.object({ data: z.array(z.looseObject({ store: z.string() })) }), body).data.map((s) => s.store);
    const wanted = typeof input.section.datastore === 'string' ? input.section.datastore : undefined;
    const fix = `grant the token DatastoreAudit: proxmox-backup-manager acl update /datastore/${wanted ?? '<store>'} DatastoreAudit --auth-id '<PBS_TOKEN_ID>'`;
    if (!stores.length) out.push(check('pbs', 'datastores', 'fail', 'the token sees no datastore (tokens only get the ACLs granted to them)', fix));
    else if (wanted && !stores.includes(wanted)) out.push(check('pbs', 'datastores', 'fail', `datastore ${wanted} (services.pbs.datastore) is not visible; the token sees ${stores.join(', ')}`, fix));
    else out.push(check('pbs', 'datastores', 'pass', `token sees ${stores.join(', ')}`));
  } catch (err) {
    out.push(failed('pbs', 'datastores', err));
  }
  return out;
};
