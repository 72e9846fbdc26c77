/**
 * The fault suite (test/faults/http-suite.ts) against the Technitium DNS client:
 * `dns records` as the read, `dns add` as the mutation. A permanent API token that the
 * server no longer knows is exit 5; a user/password session that timed out is renewed
 * by logging in once more.
 */
import { expect } from 'vitest';
import type { DnsSim } from '../../src/services/dns/sim/index.js';
import { httpFaultSuite, writeCredentials } from './http-suite.js';

const dns = (lab: { sims: Map<string, unknown> }): DnsSim => lab.sims.get('dns') as DnsSim;

httpFaultSuite({
  service: 'dns',
  read: {
    args: ['dns', 'records', '--json'], method: 'GET', path: /\/api\/zones\/records\/get$/,
    check: (stdout) => expect(stdout).toContain('pve1'),
  },
  mutation: (n) => ({ args: ['dns', 'add', `fault${n}`, `10.5.0.${200 + n}`], method: 'POST', path: /\/api\/zones\/records\/add$/ }),
  tokens: [
    {
      label: 'API token deleted',
      outcome: 'refused',
      expire: (lab) => {
        const sim = dns(lab);
        const session = sim.auth.sessions.get(sim.apiToken);
        if (!session) throw new Error('the lab token is missing');
        sim.auth.sessions.delete(sim.apiToken);
        return () => { sim.auth.sessions.set(sim.apiToken, session); };
      },
    },
    {
      label: 'user/password session timed out',
      outcome: 'reauth',
      login: { method: 'POST', path: /\/api\/user\/login$/ },
      prepare: (lab) => writeCredentials(lab, 'dns', { DNS_USER: dns(lab).admin.user, DNS_PASSWORD: dns(lab).admin.password }),
      expire: (lab) => {
        dns(lab).advanceClock(31 * 60_000);
        return () => undefined;
      },
    },
  ],
});
