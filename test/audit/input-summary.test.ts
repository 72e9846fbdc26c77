/**
 * An audit row's input in one line, the same on `homelab audit` and the dashboard's audit
 * page (audit/input-summary): a switch turned off is shown (`onboot=false`), never left
 * out as if it had not been given; one turned on is its key; cut with `…`.
 */
import { describe, expect, it } from 'vitest';
import { summariseInput } from '../../src/audit/input-summary.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['pve'] });

describe('the input of an audit row', () => {
  it('shows a switch turned off as key=false, one turned on as its key', () => {
    expect(summariseInput({ vmid: 104, onboot: false, protection: false }, 60)).toBe('vmid=104 onboot=false protection=false');
    expect(summariseInput({ vmid: 201, wait: true, note: undefined, target: { host: 'a', port: 1 } }, 60)).toBe('vmid=201 wait target={"host":"a","port":1}');
    expect(summariseInput({ text: 'x'.repeat(100) }, 20)).toBe(`text=${'x'.repeat(14)}…`);
  });

  it('homelab audit lists a setting turned off', async () => {
    const env = { ...lab.current.env };
    const guest = (lab.current.sims.get('pve') as PveSim).state.guests.get(104);
    if (!guest) throw new Error('the lab has no guest 104');
    guest.config.onboot = 1;
    guest.config.protection = 1;
    const set = await runCli(['pve', 'set', '104', '--no-onboot', '--no-protection', '--yes'], env);
    expect(set.code, set.stderr).toBe(0);
    const audit = await runCli(['audit', '--operation', 'pve.set', '--limit', '1'], env);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/pve\.set\s+vmid=104 onboot=false protection=false\s+ok/);
  });
});
