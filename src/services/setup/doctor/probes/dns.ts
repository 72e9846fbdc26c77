/**
 * @module services/setup/doctor/probes/dns
 * Technitium: which kind of credential is configured — a permanent API token
 * (`DNS_TOKEN`) or a user and password (homelab logs in; sessions expire after the idle
 * timeout) — whether it works, the server version, and so how the token is sent
 * (Bearer header from v15, the `token` parameter before). With `DNS_TOKEN`, only what the
 * dns client's `refusedTheToken` calls refused (`invalid-token`, or `error` saying
 * "Parameter 'token' missing") is a refused token (exit 5); any other error is the server's
 * (an "answers" failure, exit 1). With a user and password, a login answered `error` is a
 * refused login (exit 5); one answered `ok` passes only with a token the client could use
 * (header-safe), else it is an unexpected answer (exit 1), as it is to every dns command.
 */
import { z } from 'zod';
import { ExitCode } from '../../../../core/errors.js';
import { expectShape, headerSafeToken, serverText } from '../../../../core/http/index.js';
import { refusedTheToken } from '../../../dns/client.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeHttp, type Probe } from './types.js';

const loggedIn = z.looseObject({ token: headerSafeToken });
const envelope = z.looseObject({ status: z.string(), errorMessage: z.string().optional(), username: z.string().optional(), token: z.string().optional(), info: z.looseObject({ version: z.string().optional() }).optional() });

function sending(version: string | undefined): string {
  const major = Number(version?.split('.')[0]);
  return Number.isFinite(major) && major >= 15 ? 'sent as Authorization: Bearer (v15+)' : 'sent as the token= parameter (server before v15)';
}

/** The DNS probe. */
export const probeDns: Probe = async (input) => {
  const c = input.credentials;
  const http = probeHttp('dns', input, '/api');
  const out: DoctorCheck[] = [];
  try {
    if (c.DNS_TOKEN) {
      const res = expectShape('dns', 'GET /api/user/session/get', envelope, await http.json({ method: 'GET', path: '/user/session/get', query: { token: c.DNS_TOKEN }, headers: { authorization: `Bearer ${c.DNS_TOKEN}` }, signal: input.signal }));
      if (refusedTheToken(res)) {
        return [check('dns', 'token', 'fail', `DNS_TOKEN refused: ${serverText(res.errorMessage ?? res.status)}`, `create an API token (Administration → Sessions → Create Token, or /api/user/createToken) and put it in DNS_TOKEN in ${input.credentialsPath}`, ExitCode.auth)];
      }
      // Any other failure is the server's (a full disk, an error of its own): it answers, but not well; the token is not to blame.
      if (res.status !== 'ok') return [check('dns', 'answers', 'fail', `GET /api/user/session/get failed: ${serverText(res.errorMessage ?? `status ${res.status}`)}`, null, ExitCode.failed)];
      const version = res.info?.version;
      out.push(check('dns', 'answers', 'pass', `Technitium DNS ${version ?? '(version unknown)'}`));
      out.push(check('dns', 'token', 'pass', `permanent API token (DNS_TOKEN), ${sending(version)}`));
    } else {
      const res = expectShape('dns', 'POST /api/user/login', envelope, await http.json({ method: 'POST', path: '/user/login', form: { user: c.DNS_USER, pass: c.DNS_PASSWORD, includeInfo: 'true' }, signal: input.signal, changes: false }));
      if (res.status === '2fa-required') {
        return [check('dns', 'token', 'fail', 'the DNS_USER account has 2FA enabled; homelab cannot type the code', `use an API token instead: put DNS_TOKEN=… in ${input.credentialsPath}`)];
      }
      // Technitium refuses a login with `error`; any other status is no answer a login gives.
      if (res.status !== 'ok' && res.status !== 'error') return [check('dns', 'answers', 'fail', `POST /api/user/login answered status ${serverText(res.status, 40)}`, null, ExitCode.failed)];
      if (res.status !== 'ok') return [check('dns', 'token', 'fail', `login with DNS_USER and DNS_PASSWORD refused: ${serverText(res.errorMessage ?? res.status)}`, `check DNS_USER and DNS_PASSWORD in ${input.credentialsPath}`, ExitCode.auth)];
      const { token } = expectShape('dns', 'POST /api/user/login', loggedIn, res);
      const version = res.info?.version;
      out.push(check('dns', 'answers', 'pass', `Technitium DNS ${version ?? '(version unknown)'}`));
      out.push(check('dns', 'token', 'pass', `DNS_USER + DNS_PASSWORD: a session that expires when idle (homelab logs in again; a permanent API token in DNS_TOKEN is simpler), ${sending(version)}`));
      await http.request({ method: 'GET', path: '/user/logout', query: { token }, signal: input.signal }).catch(() => undefined);
    }
  } catch (err) {
    out.push(failed('dns', 'answers', err));
  }
  return out;
};
