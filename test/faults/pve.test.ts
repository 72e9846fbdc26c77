/**
 * The fault suite (test/faults/http-suite.ts) against the Proxmox VE client: `pve list`
 * as the read, `pve snapshot` as the mutation; a revoked API token cannot be renewed
 * by the client, so it is exit 5.
 */
import { expect } from 'vitest';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { httpFaultSuite } from './http-suite.js';

httpFaultSuite({
  service: 'pve',
  read: {
    args: ['pve', 'list', '--json'], method: 'GET', path: /\/cluster\/resources$/,
    check: (stdout) => expect((JSON.parse(stdout) as { vmid: number }[]).map((g) => g.vmid)).toContain(200),
  },
  mutation: (n) => ({ args: ['pve', 'snapshot', '200', `fault${n}`], method: 'POST', path: /\/nodes\/[^/]+\/qemu\/200\/snapshot$/ }),
  tokens: [{
    label: 'API token revoked',
    outcome: 'refused',
    expire: (lab) => {
      const sim = lab.sims.get('pve') as PveSim;
      sim.revokeToken(sim.tokens.cli.id);
      return () => sim.revokeToken(sim.tokens.cli.id, false);
    },
  }],
});
