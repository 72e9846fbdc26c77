/**
 * @module services/setup/doctor/probes/beszel
 * Beszel hub: `/api/health`, a password login (email, verified user, no MFA), and the
 * hub version from `/api/beszel/info`.
 */
import { z } from 'zod';
import { ExitCode } from '../../../../core/errors.js';
import { expectShape, parseJson } from '../../../../core/http/index.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeHttp, requestOrError, type Probe } from './types.js';

const authAnswer = z.object({ token: z.string(), record: z.looseObject({ role: z.string().optional() }).optional() });

/** The Beszel probe. */
export const probeBeszel: Probe = async (input) => {
  const c = input.credentials;
  const http = probeHttp('beszel', input, '/api');
  const out: DoctorCheck[] = [];
  try {
    await http.json({ method: 'GET', path: '/health', signal: input.signal });
  } catch (err) {
    return [failed('beszel', 'answers', err)];
  }
  const fix = `check BESZEL_EMAIL (login is by email) and BESZEL_PASSWORD in ${input.credentialsPath}`;
  const res = await requestOrError(http, { method: 'POST', path: '/collections/users/auth-with-password', json: { identity: c.BESZEL_EMAIL, password: c.BESZEL_PASSWORD }, signal: input.signal, changes: false });
  if (res instanceof Error) return [failed('beszel', 'answers', res)];
  if (res.status === 401 && res.text.includes('mfaId')) return [check('beszel', 'login', 'fail', 'the hub asks for an emailed one-time code (MFA_OTP); homelab cannot log in unattended', 'turn MFA_OTP off for the hub, or use a hub without it')];
  if (res.status === 403) return [check('beszel', 'login', 'fail', 'the BESZEL_EMAIL user is not verified', 'tick "verified" for the user in the hub\'s admin UI (/_/)')];
  if (res.status >= 400) return [check('beszel', 'login', 'fail', `login with BESZEL_EMAIL and BESZEL_PASSWORD refused (HTTP ${res.status})`, fix, ExitCode.auth)];
  let token: z.infer<typeof authAnswer>;
  try {
    token = expectShape('beszel', 'POST /api/collections/users/auth-with-password', authAnswer, parseJson('beszel', res));
  } catch (err) {
    return [failed('beszel', 'login', err)];
  }
  let version = '(version unknown)';
  try {
    const info = z.looseObject({ v: z.string() }).safeParse(await http.json({ method: 'GET', path: '/beszel/info', headers: { authorization: token.token }, signal: input.signal }));
    if (info.success) version = info.data.v;
  } catch {
    // older hubs: no /api/beszel/info; the version is only cosmetic here
  }
  out.push(check('beszel', 'answers', 'pass', `Beszel hub ${version}`));
  out.push(check('beszel', 'login', 'pass', `BESZEL_EMAIL logs in${token.record?.role === 'readonly' ? ' (read-only user: changes will be refused)' : ''}`));
  return out;
};
