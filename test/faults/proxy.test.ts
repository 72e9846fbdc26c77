/**
 * The fault suite (test/faults/http-suite.ts) against the Nginx Proxy Manager client:
 * `proxy list` as the read, `proxy add` as the mutation; an expired JWT is renewed by
 * logging in once more.
 */
import { expect } from 'vitest';
import type { ProxySim } from '../../src/services/proxy/sim/index.js';
import { httpFaultSuite } from './http-suite.js';

httpFaultSuite({
  service: 'proxy',
  read: {
    args: ['proxy', 'list', '--json'], method: 'GET', path: /\/api\/nginx\/proxy-hosts$/,
    check: (stdout) => expect(stdout).toContain('git.home.lan'),
  },
  mutation: (n) => ({ args: ['proxy', 'add', `fault${n}.home.lan`, '10.5.0.50:80'], method: 'POST', path: /\/api\/nginx\/proxy-hosts$/ }),
  tokens: [{
    label: 'JWT expired',
    outcome: 'reauth',
    login: { method: 'POST', path: /\/api\/tokens$/ },
    expire: (lab) => {
      (lab.sims.get('proxy') as ProxySim).advanceClock(2 * 86_400_000);
      return () => undefined;
    },
  }],
});
