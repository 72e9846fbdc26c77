/**
 * The fault suite (test/faults/http-suite.ts) against the Proxmox Backup Server client:
 * `pbs snapshots` as the read (its first request lists the datastore's namespaces), `pbs gc --start` as the mutation; a disabled or expired
 * API token cannot be renewed by the client, so it is exit 5.
 */
import { expect } from 'vitest';
import type { PbsSim } from '../../src/services/pbs/sim/index.js';
import { httpFaultSuite } from './http-suite.js';

httpFaultSuite({
  service: 'pbs',
  read: {
    // The read's first request: the datastore's namespaces (then each one's snapshots).
    args: ['pbs', 'snapshots', '--json'], method: 'GET', path: /\/admin\/datastore\/main\/namespace$/,
    check: (stdout) => expect(stdout).toContain('"ct/106'),
  },
  mutation: () => ({ args: ['pbs', 'gc', '--start'], method: 'POST', path: /\/admin\/datastore\/main\/gc$/ }),
  tokens: [{
    label: 'API token expired',
    outcome: 'refused',
    expire: (lab) => {
      const sim = lab.sims.get('pbs') as PbsSim;
      const token = sim.state.tokens.get(sim.tokenId);
      if (!token) throw new Error('the lab token is missing');
      token.enabled = false;
      return () => { token.enabled = true; };
    },
  }],
});
