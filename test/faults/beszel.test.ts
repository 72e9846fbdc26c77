/**
 * The fault suite (test/faults/http-suite.ts) against the Beszel hub client: `beszel
 * systems` as the read (Beszel has no mutating command); a PocketBase token invalidated
 * on the hub is renewed by logging in once more.
 */
import { expect } from 'vitest';
import type { BeszelSim } from '../../src/services/beszel/sim/index.js';
import { httpFaultSuite } from './http-suite.js';

httpFaultSuite({
  service: 'beszel',
  read: {
    args: ['beszel', 'systems', '--json'], method: 'GET', path: /\/api\/collections\/systems\/records$/,
    check: (stdout) => expect((JSON.parse(stdout) as unknown[]).length).toBeGreaterThan(2),
  },
  tokens: [{
    label: 'auth token invalidated',
    outcome: 'reauth',
    login: { method: 'POST', path: /\/api\/collections\/users\/auth-with-password$/ },
    expire: (lab) => {
      (lab.sims.get('beszel') as BeszelSim).expireTokens();
      return () => undefined;
    },
  }],
});
