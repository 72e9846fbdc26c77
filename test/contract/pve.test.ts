/**
 * The Proxmox VE contract against the simulator (with a scratch VM and a scratch container,
 * and its template 9000), and against a real cluster when HOMELAB_CONTRACT_PVE_URL is set
 * with HOMELAB_CONTRACT_PVE_TOKEN (`user@realm!tokenid=secret`); optional
 * HOMELAB_CONTRACT_PVE_FINGERPRINT (fetched from the server when absent). Read-only on a real
 * cluster unless HOMELAB_CONTRACT_PVE_SCRATCH_VMID (a guest that may be started, stopped and
 * re-described) or HOMELAB_CONTRACT_PVE_TEMPLATE (a template that may be cloned; the clone is
 * destroyed) is set.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { closeAllAgents, fetchFingerprint } from '../../src/core/http/index.js';
import { isPveTokenId } from '../../src/services/pve/api-token.js';
import { startPveSim, type PveSim } from '../../src/services/pve/sim/index.js';
import { pveContract } from './pve-contract.js';
import type { PveTarget } from './pve-target.js';

let sim: PveSim;
beforeAll(async () => {
  sim = await startPveSim({ authFailDelayMs: 0, taskDurationMs: 30 });
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});
const simTarget = (scratchVmid: number): PveTarget => ({
  url: sim.url, fingerprint: sim.fingerprint, tokenId: sim.tokens.cli.id, secret: sim.tokens.cli.secret,
  scratchVmid, templateVmid: 9000, pollMs: 20,
});
// 203 (media-next): a stopped VM on pve2; 104 (kuma): a running container on pve1.
pveContract('simulator, scratch VM', () => simTarget(203));
pveContract('simulator, scratch container', () => simTarget(104));

const env = process.env;
const realUrl = env.HOMELAB_CONTRACT_PVE_URL;

/** A VMID from an optional variable; anything else is a setup mistake, said plainly. */
function vmidVar(name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]{2,8}$/.test(value)) throw new Error(`${name} must be a VMID (100 to 999999999), not ${JSON.stringify(value)}`);
  return Number(value);
}

describe.skipIf(!realUrl)('real Proxmox VE', () => {
  let real: PveTarget;
  beforeAll(async () => {
    const url = (realUrl as string).replace(/\/+$/, '').replace(/\/api2\/json$/, '');
    const token = env.HOMELAB_CONTRACT_PVE_TOKEN ?? '';
    // As PVE reads it (pve.md §4.1): split at the last `=`.
    const cut = token.lastIndexOf('=');
    const tokenId = token.slice(0, Math.max(cut, 0));
    const secret = token.slice(cut + 1);
    if (cut < 0 || !isPveTokenId(tokenId) || !secret) throw new Error('set HOMELAB_CONTRACT_PVE_TOKEN to user@realm!tokenid=secret');
    const fingerprint = env.HOMELAB_CONTRACT_PVE_FINGERPRINT ?? (url.startsWith('https:') ? await fetchFingerprint(url) : undefined);
    real = {
      url, fingerprint, tokenId, secret, pollMs: 1000,
      scratchVmid: vmidVar('HOMELAB_CONTRACT_PVE_SCRATCH_VMID'), templateVmid: vmidVar('HOMELAB_CONTRACT_PVE_TEMPLATE'),
    };
  });
  pveContract('real cluster', () => real);
});
