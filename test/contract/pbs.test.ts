/**
 * The PBS contract against the simulator, and against a real server when
 * HOMELAB_CONTRACT_PBS_URL is set (with HOMELAB_CONTRACT_PBS_TOKEN_ID and
 * HOMELAB_CONTRACT_PBS_TOKEN_SECRET; optional HOMELAB_CONTRACT_PBS_FINGERPRINT, fetched
 * from the server when absent, and HOMELAB_CONTRACT_PBS_STORE). Read-only.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { closeAllAgents, fetchFingerprint } from '../../src/core/http/index.js';
import { startPbsSim, type PbsSim } from '../../src/services/pbs/sim/index.js';
import { pbsContract, type PbsTarget } from './pbs-contract.js';

let sim: PbsSim;
let simTarget: PbsTarget;
beforeAll(async () => {
  sim = await startPbsSim({ authFailDelayMs: 0 });
  simTarget = { url: sim.url, fingerprint: sim.fingerprint, tokenId: sim.tokenId, secret: sim.tokenSecret };
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});
pbsContract('simulator', () => simTarget);

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_PBS_URL;
describe.skipIf(!realUrl)('real PBS', () => {
  let real: PbsTarget;
  beforeAll(async () => {
    const url = (realUrl as string).replace(/\/+$/, '');
    const tokenId = env.HOMELAB_CONTRACT_PBS_TOKEN_ID;
    const secret = env.HOMELAB_CONTRACT_PBS_TOKEN_SECRET;
    if (!tokenId || !secret) throw new Error('set HOMELAB_CONTRACT_PBS_TOKEN_ID and HOMELAB_CONTRACT_PBS_TOKEN_SECRET');
    const fingerprint = env.HOMELAB_CONTRACT_PBS_FINGERPRINT ?? (url.startsWith('https:') ? await fetchFingerprint(url) : undefined);
    real = { url, fingerprint, tokenId, secret, store: env.HOMELAB_CONTRACT_PBS_STORE };
  });
  pbsContract('real server', () => real);
});
