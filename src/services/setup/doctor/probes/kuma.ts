/**
 * @module services/setup/doctor/probes/kuma
 * Uptime Kuma: an API key (`uk<id>_…`) is present and `/metrics` accepts it (Basic
 * auth, any user name). Monitor changes use the Socket.IO login, which is only
 * checked for presence here.
 */
import { HttpClient } from '../../../../core/http/index.js';
import { ExitCode } from '../../../../core/errors.js';
import { check, failed, type DoctorCheck } from '../check.js';
import { probeTimeoutMs, type Probe } from './types.js';

/** The Kuma probe. */
export const probeKuma: Probe = async (input) => {
  const c = input.credentials;
  const key = c.KUMA_API_KEY ?? '';
  const out: DoctorCheck[] = [];
  if (!/^uk\d+_\S+$/.test(key)) {
    return [check('kuma', 'api key', 'fail', 'KUMA_API_KEY does not look like a Kuma API key (uk<id>_…)', `create one in Kuma (Settings → API Keys) and put it in KUMA_API_KEY in ${input.credentialsPath}`)];
  }
  out.push(check('kuma', 'api key', 'pass', `KUMA_API_KEY present (key ${key.slice(0, key.indexOf('_'))})`));
  const url = new URL(input.section.url);
  const http = new HttpClient({ service: 'kuma', baseUrl: url.origin, fingerprint: input.section.fingerprint, timeoutMs: probeTimeoutMs(input.section), retries: 0 });
  try {
    const res = await http.request({
      method: 'GET', path: '/metrics', signal: input.signal, headers: { authorization: `Basic ${Buffer.from(`homelab:${key}`).toString('base64')}` },
    });
    if (res.status === 401) out.push(check('kuma', 'answers', 'fail', '/metrics refused the API key (expired, disabled or deleted)', `create a new key in Kuma (Settings → API Keys) and put it in KUMA_API_KEY in ${input.credentialsPath}`, ExitCode.auth));
    else if (res.status >= 400) out.push(check('kuma', 'answers', 'fail', `/metrics answered HTTP ${res.status}`));
    else {
      const monitors = new Set(res.text.split('\n').filter((l) => l.startsWith('monitor_status{')).map((l) => /monitor_name="([^"]*)"/.exec(l)?.[1]));
      out.push(check('kuma', 'answers', 'pass', `/metrics accepts the key (${monitors.size} monitors)`));
    }
  } catch (err) {
    out.push(failed('kuma', 'answers', err instanceof Error ? err : new Error(String(err))));
  }
  if (!c.KUMA_USERNAME || !c.KUMA_PASSWORD) {
    out.push(check('kuma', 'login', 'warn', 'no KUMA_USERNAME/KUMA_PASSWORD: monitor changes (add, pause, delete) need the UI login', `add KUMA_USERNAME and KUMA_PASSWORD to ${input.credentialsPath}`));
  }
  return out;
};
