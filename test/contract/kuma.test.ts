/**
 * The Uptime Kuma contract against the simulator (2.x and 1.23, with the write checks),
 * and against a real server when HOMELAB_CONTRACT_KUMA_URL is set with
 * HOMELAB_CONTRACT_KUMA_API_KEY, HOMELAB_CONTRACT_KUMA_USERNAME and
 * HOMELAB_CONTRACT_KUMA_PASSWORD (optional HOMELAB_CONTRACT_KUMA_TOTP_SECRET). Read-only on
 * a real server unless HOMELAB_CONTRACT_KUMA_WRITE=1 (a scratch push monitor, deleted after).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startKumaSim, type KumaSim } from '../../src/services/kuma/sim/index.js';
import { kumaContract, type KumaTarget } from './kuma-contract.js';

let v2: KumaSim;
let v1: KumaSim;
beforeAll(async () => {
  [v2, v1] = await Promise.all([startKumaSim({ afterLoginDelayMs: 50 }), startKumaSim({ version: '1.23.17', afterLoginDelayMs: 50 })]);
});
afterAll(async () => { await Promise.all([v2.close(), v1.close()]); });
const target = (sim: () => KumaSim) => (): KumaTarget => {
  const v = sim().credentials.values;
  return { url: sim().url, apiKey: v.KUMA_API_KEY ?? '', username: v.KUMA_USERNAME ?? '', password: v.KUMA_PASSWORD ?? '' };
};
kumaContract('simulator 2.5.3', target(() => v2), { write: true });
kumaContract('simulator 1.23.17', target(() => v1), { write: true });

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_KUMA_URL;
describe.skipIf(!realUrl)('real Uptime Kuma', () => {
  let real: KumaTarget;
  beforeAll(() => {
    const apiKey = env.HOMELAB_CONTRACT_KUMA_API_KEY;
    const username = env.HOMELAB_CONTRACT_KUMA_USERNAME;
    const password = env.HOMELAB_CONTRACT_KUMA_PASSWORD;
    if (!apiKey || !username || !password) throw new Error('set HOMELAB_CONTRACT_KUMA_API_KEY, HOMELAB_CONTRACT_KUMA_USERNAME and HOMELAB_CONTRACT_KUMA_PASSWORD');
    real = { url: (realUrl as string).replace(/\/+$/, ''), apiKey, username, password, totpSecret: env.HOMELAB_CONTRACT_KUMA_TOTP_SECRET };
  });
  kumaContract('real server', () => real, { write: env.HOMELAB_CONTRACT_KUMA_WRITE === '1' });
});
