/**
 * A sign-in changes nothing on the server: when it gets no answer, a read command says the
 * service timed out (or cannot be reached), never that a change "may have been applied";
 * and a sign-in cut off by a reset is sent again, as a read is. NPM's `POST /tokens` and
 * Technitium's `POST /user/login`, the built CLI against the lab's simulators.
 */
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import type { LabSim } from '../../../src/lab/lab.js';
import { writeCredentials } from '../../faults/http-suite.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['proxy', 'dns'] });
const sim = (name: string): LabSim => lab.current.sims.get(name) as LabSim;

/** Runs `args` with `service` answering nothing to its login within its 1 s timeout. */
async function withHungLogin(service: string, path: RegExp, args: string[]): Promise<{ code: number | null; stderr: string; logins: number }> {
  const s = sim(service);
  s.configSection.timeout_seconds = 1;
  lab.current.writeConfig();
  const before = s.requests.length;
  try {
    s.faults.only = { method: 'POST', path };
    s.faults.hangNext = 1;
    const r = await runCli(args, lab.current.env);
    return { ...r, logins: s.requests.slice(before).filter((q) => q.method === 'POST' && path.test(q.path)).length };
  } finally {
    Object.assign(s.faults, { hangNext: 0, resetNext: 0, only: undefined });
    delete s.configSection.timeout_seconds;
    lab.current.writeConfig();
  }
}

describe('a sign-in left unanswered', () => {
  it('proxy list: NPM\'s POST /tokens timed out (exit 4), not "may have been applied"', async () => {
    const r = await withHungLogin('proxy', /\/api\/tokens$/, ['proxy', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe('homelab: proxy: POST /tokens timed out after 1 s');
    expect(r.logins).toBe(1);
  });

  it('dns records with a user and password: POST /user/login timed out (exit 4)', async () => {
    const dns = lab.current.sims.get('dns') as DnsSim;
    writeCredentials(lab.current, 'dns', { DNS_USER: dns.admin.user, DNS_PASSWORD: dns.admin.password });
    const r = await withHungLogin('dns', /\/api\/user\/login$/, ['dns', 'records']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe('homelab: dns: POST /user/login timed out after 1 s');
  });

  it('a sign-in cut off by a reset is sent again and the read goes through', async () => {
    const s = sim('proxy');
    const before = s.requests.length;
    s.faults.only = { method: 'POST', path: /\/api\/tokens$/ };
    s.faults.resetNext = 1;
    try {
      const r = await runCli(['proxy', 'list', '--json'], lab.current.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('git.home.lan');
      expect(s.requests.slice(before).filter((q) => q.method === 'POST' && /\/api\/tokens$/.test(q.path))).toHaveLength(2);
    } finally {
      Object.assign(s.faults, { resetNext: 0, only: undefined });
    }
  });
});
