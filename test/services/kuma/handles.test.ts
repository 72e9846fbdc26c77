/**
 * Monitor names stay usable as handles, and a change says what it changes: the built binary
 * against the lab's Uptime Kuma. A name of only digits is refused on add and on rename (it
 * would be read as an id); a delete or pause confirmation names the monitor the argument
 * resolved to; a rename onto another monitor's name is refused, as add refuses it; and an
 * option the monitor's type never reads (`--url` on a ping monitor) is refused, not
 * reported as a change of a column nobody checks.
 */
import { describe, expect, it } from 'vitest';
import { ClientCache, createContext } from '../../../src/core/context.js';
import { confirmationOf } from '../../../src/core/confirmation.js';
import { getRegistry } from '../../../src/services/index.js';
import type { KumaEdited } from '../../../src/services/kuma/index.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;
const names = (): string[] => [...sim().state.monitors.values()].map((m) => String(m.name));

describe('kuma monitor names as handles', () => {
  it('refuses a name of only digits on add and on edit --name (exit 2), adding and renaming nothing', async () => {
    const added = await runCli(['kuma', 'add', 'http', '2', 'https://two.example.com'], env());
    expect(added.code).toBe(2);
    expect(added.stderr).toMatch(/name: must not be only digits/);
    const renamed = await runCli(['kuma', 'edit', 'grafana', '--name', ' 42 '], env());
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toMatch(/--name: must not be only digits/);
    expect(names()).not.toContain('2');
    expect(names()).not.toContain('42');
    expect(names()).toContain('grafana');
    // A name with a letter among digits is fine.
    const fine = await runCliJson<{ name: string }>(['kuma', 'add', 'push', 'job-2'], env());
    expect(fine.name).toBe('job-2');
  });

  it('names the resolved monitor in the delete and pause confirmations', async () => {
    const id = sim().monitorId('pve2');
    const refused = await runCli(['kuma', 'delete', String(id)], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Delete the Uptime Kuma monitor pve2 (id ${id}) and all its heartbeats`);
    expect(sim().state.monitors.has(id)).toBe(true);
    const unknown = await runCli(['kuma', 'delete', '9999'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Uptime Kuma has no monitor with id 9999');
    // The bot and the web ask before a pause too: with the monitor it will pause.
    const clients = new ClientCache();
    const ctx = createContext({ actor: { surface: 'telegram', id: 'test' }, env: env(), progress: () => undefined, clients, operations: getRegistry() });
    try {
      const pause = await confirmationOf(getRegistry().get('kuma.pause')!, { monitor: String(id) }, ctx);
      expect(pause.lines).toEqual([`Pause the monitor pve2 (id ${id}): no checks and no notifications until it is resumed`]);
    } finally {
      await clients.closeAll();
    }
  });

  it('refuses a rename onto a name another monitor has (exit 2), as add does', async () => {
    const clash = await runCli(['kuma', 'edit', 'media', '--name', 'pve1'], env());
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`a monitor named pve1 exists already (id ${sim().monitorId('pve1')})`);
    expect(sim().state.monitors.get(sim().monitorId('media'))?.name).toBe('media');
    // Its own name again is no clash.
    const same = await runCliJson<KumaEdited>(['kuma', 'edit', 'media', '--name', 'media'], env());
    expect(same.changed).toEqual({});
  });

  it('refuses options the monitor type never reads (exit 2) and leaves the monitor as it was', async () => {
    const before = structuredClone(sim().state.monitors.get(sim().monitorId('pve1')));
    const url = await runCli(['kuma', 'edit', 'pve1', '--url', 'https://example.com'], env());
    expect(url.code).toBe(2);
    expect(url.stderr).toContain(`pve1 (id ${sim().monitorId('pve1')}) is of type ping: --url does not apply to it (use --host)`);
    expect(sim().state.monitors.get(sim().monitorId('pve1'))).toEqual(before);
    const http = await runCli(['kuma', 'edit', 'dns', '--keyword', 'hello', '--port', '99', '--host', '1.2.3.4'], env());
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('is of type http: --host, --port, --keyword do not apply to it (use --url)');
    const push = await runCli(['kuma', 'edit', 'beszel-heartbeat', '--host', 'x.lan'], env());
    expect(push.code).toBe(2);
    expect(push.stderr).toContain('is of type push: --host does not apply to it (it has no target to change)');
    // What the type reads still changes.
    const host = await runCliJson<KumaEdited>(['kuma', 'edit', 'pve1', '--host', '10.5.0.2'], env());
    expect(host.changed).toEqual({ hostname: { from: '10.5.0.1', to: '10.5.0.2' } });
  });
});
