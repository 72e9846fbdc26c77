/**
 * `homelab check` through the built CLI against the lab's simulators (real sockets): a guest's
 * `ip6=` kept as typed in PVE (`fd00:0:0:0::50`) and its AAAA record as Technitium answers it
 * (`fd00::50`) are one address, not a stale record; and a proxy host forwarding to a DHCP guest
 * that is shut down (its address only in its own DNS record) is a stopped guest to start, not a
 * missing one to delete.
 */
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { CheckResult } from '../../../src/services/hub/check.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

describe('check: addresses as PVE and DNS spell them', () => {
  const lab = useLab({ services: ['pve', 'dns', 'proxy'] });
  const check = async (): Promise<CheckResult> => JSON.parse((await runCli(['check', '--json'], lab.current.env, { timeoutMs: 60_000 })).stdout) as CheckResult;
  const cli = async (...args: string[]): Promise<void> => {
    const r = await runCli(args, lab.current.env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
  };

  it("an AAAA record of a guest's ip6= written another way is the guest's, not stale", async () => {
    const vm = (lab.current.sims.get('pve') as PveSim).state.guests.get(200);
    if (!vm) throw new Error('the lab has VM 200');
    const before = vm.config.ipconfig0 ?? '';
    vm.config.ipconfig0 = `${String(before)},ip6=FD00:0:0:0::50/64`;
    try {
      await cli('dns', 'add', 'homeassistant', 'fd00::50');
      const r = await check();
      expect(r.findings.filter((f) => f.message.includes('fd00')).map((f) => f.key)).toEqual([]);
      await cli('dns', 'add', 'ha6', 'fd00:0::50');
      const names = (await check()).findings.find((f) => f.key === 'duplicate-address:names/fd00::50');
      expect(names?.message.split(/ and | both /).slice(0, 2).sort()).toEqual(['ha6.home.lan', 'homeassistant.home.lan']);
      expect(names?.fix).toBe('homelab dns delete ha6 --type AAAA --value fd00::50 && homelab dns add-cname ha6 homeassistant');
    } finally {
      vm.config.ipconfig0 = before;
      await runCli(['dns', 'delete', 'homeassistant', '--type', 'AAAA', '--value', 'fd00::50', '--yes'], lab.current.env);
      await runCli(['dns', 'delete', 'ha6', '--type', 'AAAA', '--value', 'fd00::50', '--yes'], lab.current.env);
    }
  });

  it('a proxy host to a stopped DHCP guest named by its own record: start it', async () => {
    const vm = (lab.current.sims.get('pve') as PveSim).state.guests.get(202);
    if (!vm || vm.status !== 'stopped') throw new Error('the lab has VM 202, stopped');
    const before = vm.config.ipconfig0 ?? '';
    vm.config.ipconfig0 = 'ip=dhcp';
    try {
      await cli('dns', 'add', 'win11', '10.5.0.122');
      await cli('proxy', 'add', 'rdp.home.lan', '10.5.0.122:8080');
      const found = (await check()).findings.filter((f) => f.subject === 'rdp.home.lan' && f.kind.startsWith('proxy-to'));
      expect(found.map((f) => `${f.severity} ${f.kind}: ${f.message} | ${f.fix}`)).toEqual([
        'error proxy-to-stopped-guest: rdp.home.lan forwards to VM 202 (win11), which is stopped | homelab pve start 202',
      ]);
    } finally {
      vm.config.ipconfig0 = before;
      await runCli(['proxy', 'delete', 'rdp.home.lan', '--yes'], lab.current.env);
      await runCli(['dns', 'delete', 'win11', '--type', 'A', '--value', '10.5.0.122', '--yes'], lab.current.env);
    }
  });
});
