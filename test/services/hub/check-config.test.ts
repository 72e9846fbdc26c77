/**
 * The `check:` section of config.yaml: the probe map's keys and values are `host:port`
 * (IPv6 in brackets), matched without regard to case; anything else is a config error
 * naming the file and the key; no section means every target is probed where it is.
 */
import { describe, expect, it } from 'vitest';
import type { HomelabConfig } from '../../../src/core/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { checkConfig, splitEndpoint } from '../../../src/services/hub/check-config.js';

const config = (check?: Record<string, unknown>): HomelabConfig => ({ services: {}, ssh: { targets: [], concurrency: 4, timeout_seconds: 60 }, path: '/etc/homelab/config.yaml', ...(check ? { check } : {}) });

describe('check config', () => {
  it('defaults to probing every target at its own address', () => {
    expect(checkConfig(config())).toEqual({ probeMap: new Map(), probeUnmapped: true, hosts: [] });
  });

  it('reads hosts: addresses and names of machines that are not guests, lower-cased', () => {
    expect(checkConfig(config({ hosts: ['10.5.0.60', 'NAS', 'printer.home.lan.', '[fd00::60]'] })).hosts).toEqual(['10.5.0.60', 'nas', 'printer.home.lan', 'fd00::60']);
  });

  it('reads the map, lower-cased, and whether unmapped targets are probed', () => {
    const c = checkConfig(config({ probe_map: { 'App.Home.Lan:8080': '127.0.0.1:40001', '[FD00::1]:443': '[::1]:40002' }, probe_unmapped: false }));
    expect([...c.probeMap]).toEqual([['app.home.lan:8080', '127.0.0.1:40001'], ['[fd00::1]:443', '[::1]:40002']]);
    expect(c.probeUnmapped).toBe(false);
    expect(splitEndpoint('[::1]:40002')).toEqual({ host: '::1', port: 40002 });
    expect(splitEndpoint('127.0.0.1:40001')).toEqual({ host: '127.0.0.1', port: 40001 });
  });

  it.each([
    [{ probe_map: { '10.5.0.12': '127.0.0.1:1' } }, 'check.probe_map.10.5.0.12: the key must be host:port'],
    [{ probe_map: { '10.5.0.12:3000': '127.0.0.1' } }, 'check.probe_map.10.5.0.12:3000: must be host:port'],
    [{ probe_map: { '10.5.0.12:3000': '127.0.0.1:70000' } }, 'the port must be 1 to 65535'],
    [{ probe_unmapped: 'no' }, 'check.probe_unmapped:'],
    [{ probe_mapp: {} }, 'check: Unrecognized key'],
    [{ hosts: ['a b'] }, 'check.hosts.0: must be an address or a host name'],
    [{ hosts: '10.5.0.60' }, 'check.hosts:'],
  ])('refuses %j as a config error naming the key', (section, message) => {
    let caught: unknown;
    try { checkConfig(config(section)); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain('/etc/homelab/config.yaml: ');
    expect((caught as Error).message).toContain(message);
  });
});
