/**
 * The Beszel contract against the simulator, and against a real hub when
 * HOMELAB_CONTRACT_BESZEL_URL is set with HOMELAB_CONTRACT_BESZEL_EMAIL and
 * HOMELAB_CONTRACT_BESZEL_PASSWORD (optional HOMELAB_CONTRACT_BESZEL_FINGERPRINT). Read-only.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { closeAllAgents } from '../../src/core/http/index.js';
import { startBeszelSim, type BeszelSim } from '../../src/services/beszel/sim/index.js';
import { beszelContract, type BeszelTarget } from './beszel-contract.js';

let sim: BeszelSim;
beforeAll(async () => { sim = await startBeszelSim(); });
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});
beszelContract('simulator', () => ({ url: sim.url, email: sim.credentials.values.BESZEL_EMAIL ?? '', password: sim.credentials.values.BESZEL_PASSWORD ?? '' }));

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_BESZEL_URL;
describe.skipIf(!realUrl)('real Beszel hub', () => {
  let real: BeszelTarget;
  beforeAll(() => {
    const email = env.HOMELAB_CONTRACT_BESZEL_EMAIL;
    const password = env.HOMELAB_CONTRACT_BESZEL_PASSWORD;
    if (!email || !password) throw new Error('set HOMELAB_CONTRACT_BESZEL_EMAIL and HOMELAB_CONTRACT_BESZEL_PASSWORD');
    real = { url: (realUrl as string).replace(/\/+$/, ''), email, password, fingerprint: env.HOMELAB_CONTRACT_BESZEL_FINGERPRINT };
  });
  beszelContract('real hub', () => real);
});
