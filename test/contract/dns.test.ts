/**
 * The Technitium contract against the simulator (v15 and a v14 server), and against a
 * real server when HOMELAB_CONTRACT_DNS_URL is set with HOMELAB_CONTRACT_DNS_TOKEN (or
 * HOMELAB_CONTRACT_DNS_USER and HOMELAB_CONTRACT_DNS_PASSWORD). Read-only on a real
 * server unless HOMELAB_CONTRACT_DNS_ZONE names a zone for scratch records.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { closeAllAgents } from '../../src/core/http/index.js';
import { startDnsSim, type DnsSim } from '../../src/services/dns/sim/index.js';
import { dnsContract, type DnsTarget } from './dns-contract.js';

let v15: DnsSim;
let v14: DnsSim;
beforeAll(async () => {
  [v15, v14] = await Promise.all([startDnsSim(), startDnsSim({ version: '14.3' })]);
});
afterAll(async () => {
  await closeAllAgents();
  await Promise.all([v15.close(), v14.close()]);
});
dnsContract('simulator, API token', () => ({ url: v15.url, token: v15.apiToken, zone: 'home.lan' }));
dnsContract('simulator v14, session login', () => ({ url: v14.url, user: v14.admin.user, password: v14.admin.password, zone: 'home.lan' }));

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_DNS_URL;
describe.skipIf(!realUrl)('real Technitium', () => {
  let real: DnsTarget;
  beforeAll(() => {
    const token = env.HOMELAB_CONTRACT_DNS_TOKEN;
    const user = env.HOMELAB_CONTRACT_DNS_USER;
    const password = env.HOMELAB_CONTRACT_DNS_PASSWORD;
    if (!token && !(user && password)) throw new Error('set HOMELAB_CONTRACT_DNS_TOKEN, or HOMELAB_CONTRACT_DNS_USER and HOMELAB_CONTRACT_DNS_PASSWORD');
    real = { url: (realUrl as string).replace(/\/+$/, ''), token, user, password, zone: env.HOMELAB_CONTRACT_DNS_ZONE };
  });
  dnsContract('real server', () => real);
});
