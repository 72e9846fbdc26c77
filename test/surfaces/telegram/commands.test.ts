import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, records, startHarness, until, type Harness } from './harness.js';
import { shortcutServices, testRegistry } from './test-service.js';

/** Whether this machine has a `ping` on PATH (a bare one does not). */
const hasPing = (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, 'ping')));

let h: Harness;
const registry = testRegistry(shortcutServices);
beforeAll(async () => { h = await startHarness({ registry }); });
afterAll(async () => { await h?.stop(); });

async function ask(text: string) {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  return owner.waitForMessage(() => true, `reply to ${text}`, before);
}

describe('commands from the registry', () => {
  it('sets the command menu from the services and shortcuts', async () => {
    const menu = await h.sim.waitFor(() => h.sim.state.commands, 'setMyCommands');
    const names = menu.map((c) => c.command);
    expect(names.slice(0, 4)).toEqual(['help', 'status', 'pbs', 'ping']);
    for (const s of registry.services.filter((x) => x.name)) expect(names).toContain(s.name);
    expect(menu.find((c) => c.command === 'pve')?.description).toBe(registry.service('pve')?.summary);
  });

  it('/help lists every service and the shortcuts', async () => {
    const reply = await ask('/help');
    expect(reply.parseMode).toBe('HTML');
    for (const s of registry.services.filter((x) => x.name)) expect(reply.plain).toContain(`/${s.name}: ${s.summary}`);
    expect(reply.plain).toContain('/ping <host>');
    // One lab: nothing about choosing one.
    expect(reply.plain).not.toContain('--context');
  });

  it('/pve alone shows its commands with usage', async () => {
    const reply = await ask('/pve');
    expect(reply.plain).toContain('/pve start <vmid> [options]');
    expect(reply.plain).toContain('asks first');
  });

  it('runs a read operation: /pve status 100', async () => {
    const reply = await ask('/pve status 100');
    expect(reply.text?.startsWith('<pre>')).toBe(true);
    expect(reply.plain).toContain('CT 100 (dns)');
    expect(reply.plain).toContain('running');
  });

  it('/pve list --json replies with the result as JSON', async () => {
    const reply = await ask('/pve list --type lxc --json');
    const list = JSON.parse(reply.plain) as { vmid: number; type: string }[];
    expect(list.length).toBeGreaterThan(3);
    expect(list.every((g) => g.type === 'lxc')).toBe(true);
  });

  it('refuses bad input before anything is sent, with the usage', async () => {
    const requests = h.lab.sims.get('pve')?.requests.length;
    const reply = await ask('/pve status abc');
    expect(reply.plain).toMatch(/vmid/);
    expect(reply.plain).toContain('usage: /pve status <vmid>');
    expect(h.lab.sims.get('pve')?.requests.length).toBe(requests);
  });

  it('answers an unknown command and an unknown verb', async () => {
    expect((await ask('/frobnicate')).plain).toContain('unknown command /frobnicate');
    expect((await ask('/pve frob 1')).plain).toContain('unknown command /pve frob');
    // A group without its sub-verb, or with one it lacks, names the sub-verbs it takes.
    const group = (await ask('/kuma add')).plain;
    expect(group).toContain('/kuma add needs one of: http, ping, port, keyword, push');
    expect(group).toContain('usage: /kuma add http|ping|port|keyword|push …');
    expect((await ask('/kuma add smtp x')).plain).toContain('unknown command /kuma add smtp');
  });

  it('reads a long dash from a phone keyboard as --', async () => {
    const reply = await ask('/pve list —type lxc —json');
    expect((JSON.parse(reply.plain) as { type: string }[]).every((g) => g.type === 'lxc')).toBe(true);
  });

  it('ignores commands addressed to another bot', async () => {
    const owner = h.sim.user({ userId: OWNER });
    await owner.send('/pve@some_other_bot list');
    const reply = await ask(`/pve@${h.bot.username} status 100`);
    expect(reply.plain).toContain('CT 100 (dns)');
    expect(owner.messages().filter((m) => m.plain.includes('homeassistant'))).toHaveLength(0);
  });
});

describe('shortcuts', () => {
  it('/status runs the status operation', async () => {
    expect((await ask('/status')).plain).toBe('STATUS: all 7 services answered');
  });

  it('/pbs runs pbs status', async () => {
    expect((await ask('/pbs')).plain).toBe('PBS: 12 groups, 1 stale');
  });

  // A bare machine has no ping: the bot must say so; with ping, it pings. Each machine runs its own branch.
  it(`/ping pings a validated host without a shell${hasPing ? '' : ' (here: says that ping is not installed)'}`, async () => {
    const reply = await ask('/ping 127.0.0.1');
    if (hasPing) expect(reply.plain).toMatch(/4 packets transmitted, 4 received/);
    else expect(reply.plain).toBe('⚠️ ping is not installed on the management host\ninstall iputils-ping');
  });

  it.each(['127.0.0.1;id', '$(id)', '-f 127.0.0.1', 'a b', '../etc', 'x'.repeat(300)])('/ping refuses %j', async (host) => {
    const pings = (): number => records(h.logs).filter((r) => r.msg === 'ping').length;
    const before = pings();
    const reply = await ask(`/ping ${host}`);
    expect(reply.plain).toMatch(/^⚠️ (ping: .* must be a host name|usage: \/ping <host>)/);
    expect(pings()).toBe(before);
  });

  it(`logged the ping of 127.0.0.1 as reachable${hasPing ? '' : ' (here: logged no ping, as none ran)'}`, async () => {
    if (hasPing) await until(() => records(h.logs).find((r) => r.msg === 'ping' && r.reachable === true), 'ping log');
    else expect(records(h.logs).filter((r) => r.msg === 'ping')).toEqual([]);
  });
});
