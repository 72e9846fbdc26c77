/**
 * The NPM contract against the simulator, and against a real server when
 * HOMELAB_CONTRACT_PROXY_URL is set with HOMELAB_CONTRACT_PROXY_EMAIL and
 * HOMELAB_CONTRACT_PROXY_PASSWORD. Read-only on a real server unless
 * HOMELAB_CONTRACT_PROXY_WRITE=1 (one scratch proxy host on a .invalid domain).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { closeAllAgents } from '../../src/core/http/index.js';
import { startProxySim, type ProxySim } from '../../src/services/proxy/sim/index.js';
import { proxyContract, type ProxyTarget } from './proxy-contract.js';

let sim: ProxySim;
beforeAll(async () => {
  sim = await startProxySim();
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});
proxyContract('simulator', () => ({ url: sim.url, email: sim.users.automation.email, password: sim.users.automation.password, write: true }));

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_PROXY_URL;
describe.skipIf(!realUrl)('real Nginx Proxy Manager', () => {
  let real: ProxyTarget;
  beforeAll(() => {
    const email = env.HOMELAB_CONTRACT_PROXY_EMAIL;
    const password = env.HOMELAB_CONTRACT_PROXY_PASSWORD;
    if (!email || !password) throw new Error('set HOMELAB_CONTRACT_PROXY_EMAIL and HOMELAB_CONTRACT_PROXY_PASSWORD');
    real = { url: (realUrl as string).replace(/\/+$/, '').replace(/\/api$/, ''), email, password, write: env.HOMELAB_CONTRACT_PROXY_WRITE === '1' };
  });
  proxyContract('real server', () => real);
});
