/**
 * @module services/setup/doctor/probes/proxy
 * Nginx Proxy Manager: `GET /api/` (version, set up or not), then a login. An account
 * with 2FA needs `NPM_TOTP_SECRET`, or homelab cannot log in unattended. A login passes only
 * with a token the client could use (header-safe, as the proxy client takes it): one without
 * it is an unexpected answer (exit 1), as it is to every other command.
 */
import { z } from 'zod';
import { ExitCode } from '../../../../core/errors.js';
import { expectShape, headerSafeToken, parseJson, type HttpResponse } from '../../../../core/http/index.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeHttp, requestOrError, type Probe } from './types.js';

const health = z.looseObject({ status: z.string(), setup: z.boolean().optional(), version: z.looseObject({ major: z.number(), minor: z.number(), revision: z.number() }).optional() });
const login = z.looseObject({ token: headerSafeToken.optional(), requires_2fa: z.boolean().optional(), challenge_token: z.string().optional() });
const loggedIn = z.looseObject({ token: headerSafeToken });

/** The NPM probe. */
export const probeProxy: Probe = async (input) => {
  const c = input.credentials;
  const base = input.section.url.replace(/\/+$/, '').replace(/\/api$/, '');
  const http = probeHttp('proxy', { ...input, section: { ...input.section, url: base } }, '/api');
  const out: DoctorCheck[] = [];
  try {
    const h = expectShape('proxy', 'GET /api/', health, await http.json({ method: 'GET', path: '/', signal: input.signal }));
    const v = h.version ? `${h.version.major}.${h.version.minor}.${h.version.revision}` : '(version unknown)';
    if (h.setup === false) return [check('proxy', 'answers', 'fail', `Nginx Proxy Manager ${v} has no user yet`, `open ${base} and create the admin user, then put its email and password in ${input.credentialsPath}`)];
    out.push(check('proxy', 'answers', 'pass', `Nginx Proxy Manager ${v}`));
  } catch (err) {
    return [failed('proxy', 'answers', err)];
  }
  const fix = `check NPM_EMAIL (the account's email) and NPM_PASSWORD in ${input.credentialsPath}`;
  const res = await requestOrError(http, { method: 'POST', path: '/tokens', json: { identity: (c.NPM_EMAIL ?? '').trim().toLowerCase(), secret: c.NPM_PASSWORD }, signal: input.signal, changes: false });
  if (res instanceof Error) return [...out, failed('proxy', 'login', res)];
  if (res.status >= 400) return [...out, check('proxy', 'login', 'fail', `login with NPM_EMAIL and NPM_PASSWORD refused (HTTP ${res.status})`, fix, ExitCode.auth)];
  let body: z.infer<typeof login>;
  try {
    body = expectShape('proxy', 'POST /api/tokens', login, parseJson('proxy', res));
    if (!body.requires_2fa) expectShape('proxy', 'POST /api/tokens', loggedIn, body);
  } catch (err) {
    return [...out, failed('proxy', 'login', err)];
  }
  if (!body.requires_2fa) return [...out, check('proxy', 'login', 'pass', 'NPM_EMAIL logs in (no 2FA on the account)')];
  if (!c.NPM_TOTP_SECRET) {
    return [...out, check('proxy', 'login', 'fail', 'the NPM account has 2FA enabled; homelab cannot log in unattended without its secret',
      `add NPM_TOTP_SECRET=<base32 secret> to ${input.credentialsPath}, or use a dedicated NPM user without 2FA`)];
  }
  let done: HttpResponse;
  try {
    const { TOTP, Secret } = await import('otpauth');
    const code = new TOTP({ secret: Secret.fromBase32(c.NPM_TOTP_SECRET.replace(/\s+/g, '').toUpperCase()) }).generate();
    done = await http.request({ method: 'POST', path: '/tokens/2fa', json: { challenge_token: body.challenge_token, code }, signal: input.signal, changes: false });
  } catch (err) {
    return [...out, failed('proxy', 'login', err, `check NPM_TOTP_SECRET (base32) in ${input.credentialsPath}`)];
  }
  if (done.status >= 400) return [...out, check('proxy', 'login', 'fail', 'the 2FA code made from NPM_TOTP_SECRET was refused', `check NPM_TOTP_SECRET in ${input.credentialsPath}`, ExitCode.auth)];
  try {
    expectShape('proxy', 'POST /api/tokens/2fa', loggedIn, parseJson('proxy', done));
  } catch (err) {
    return [...out, failed('proxy', 'login', err)];
  }
  return [...out, check('proxy', 'login', 'pass', 'NPM_EMAIL logs in with 2FA (code made from NPM_TOTP_SECRET)')];
};
