/**
 * The bot asks with the previews of `pve resize`, `migrate`, `backup` and `destroy`: a run
 * PVE would refuse gets the refusal and its fix instead of Confirm/Cancel buttons; a run
 * that can go is asked with its live facts. Against telegram-test-api and the lab's PVE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.stop(); });

const pve = (): PveSim => h.lab.sims.get('pve') as PveSim;

describe('confirmation on Telegram (bot)', () => {
  it('refuses before asking what PVE would refuse: no buttons, the fix named, nothing sent', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const writes = pve().requests.filter((r) => r.method !== 'GET').length;
    const cases: [string, string][] = [
      ['/pve resize 106 rootfs 1G', 'rootfs of CT 106 (dockge) is 32.0 GiB; 1G would shrink it, and disks are only grown'],
      ['/pve migrate 106 pve1', 'CT 106 (dockge) is running and containers cannot move live: add --restart'],
      ['/pve backup 201 --storage nosuch', 'no storage nosuch on pve2'],
      ['/pve destroy 106', 'CT 106 (dockge) is running on pve2: PVE will not remove a running guest'],
    ];
    for (const [command, message] of cases) {
      const before = owner.messages().length;
      await owner.send(command);
      const reply = await owner.waitForMessage((m) => m.plain.includes(message), `the refusal of ${command}`, before);
      expect(reply.buttons, command).toBeFalsy();
    }
    expect(pve().requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it('asks a run that can go with its live facts', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/pve resize 106 rootfs +4G');
    const q = await owner.waitForMessage((m) => Boolean(m.buttons), 'the confirmation', before);
    expect(q.plain).toContain('Confirm: Grow disk rootfs of CT 106 (dockge) on pve2 from 32.0 GiB to 36.0 GiB');
    await owner.tap(q, '✖️ Cancel');
  });
});
