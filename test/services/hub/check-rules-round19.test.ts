/**
 * Rules of `homelab check` that were wrong about ordinary labs: an app's A record at the proxy's
 * address (`expose --dns a`) is no duplicate name; a stopped DHCP guest behind a proxy host is
 * stopped, not missing; a Docker bridge's address is no address conflict; a disabled hand-made
 * proxy host is enabled, not added; a Let's Encrypt renewal deletes the old certificate in the same
 * line; loopback is the proxy's own machine and a container name may go to check.hosts; with only
 * Kuma's API key, the paused-monitor rule is unknown. Pure functions over plain data.
 */
import { describe, expect, it } from 'vitest';
import { findAll, type GuestView, type LabView, type ProxyHostView, type RecordView } from '../../../src/services/hub/check-findings/index.js';
import { checkConfig, probeKeyOf } from '../../../src/services/hub/check-config.js';
import { configMacs, learnedAddresses } from '../../../src/services/hub/guest-addresses.js';
import type { HomelabConfig } from '../../../src/core/config.js';

const zone = 'home.lan';
const now = 1_800_000_000;
const t = { certWarnDays: 14, certErrorDays: 3 };
const guest = (vmid: number, name: string, addresses: string[], extra: Partial<GuestView> = {}): GuestView => ({
  vmid, name, type: 'qemu', node: 'pve1', status: 'running', template: false, onboot: false, addresses, ...extra,
});
const a = (name: string, value: string, extra: Partial<RecordView> = {}): RecordView => ({ name: `${name}.${zone}`, type: 'A', value, disabled: false, ...extra });
const host = (id: number, domain: string, forwardHost: string, forwardPort = 80, extra: Partial<ProxyHostView> = {}): ProxyHostView =>
  ({ id, domains: [`${domain}.${zone}`], forwardScheme: 'http', forwardHost, forwardPort, enabled: true, ...extra });
const view = (v: Partial<LabView>): LabView => ({
  zone, guests: [], knownHosts: new Map(), records: [], proxyHosts: [], monitors: [], certificates: [], backups: undefined, systems: [], probes: undefined, ...v,
});
const found = (v: LabView): { key: string; severity: string; message: string; says: string[]; fix: string }[] =>
  findAll(v, t, now).findings.map((f) => ({ key: f.key, severity: f.severity, message: f.message, says: f.evidence.map((e) => `${e.service}: ${e.says}`), fix: f.fix }));

describe('duplicate names and the proxy (expose --dns a)', () => {
  it("an app's A record at the proxy's address is not a second name for it, with or without PVE", () => {
    const records = [a('proxy', '10.5.0.3'), a('docs', '10.5.0.3', { app: 'docs' }), a('wiki2', '10.5.0.3', { app: 'wiki2' })];
    const proxyNames = { name: null, address: '10.5.0.3' };
    expect(found(view({ records, guests: [guest(101, 'proxy', ['10.5.0.3'], { type: 'lxc' })], proxyNames }))).toEqual([]);
    expect(found(view({ records, guests: undefined, knownHosts: undefined, proxyNames: undefined })).filter((f) => f.key.startsWith('duplicate'))).toEqual([]);
  });

  it('without PVE, the record kept is the proxy name or an unmanaged one, never a lab.yaml record over a hand-made one', () => {
    const records = [a('aaa', '10.5.0.3', { labRecord: true }), a('proxy', '10.5.0.3')];
    const [f] = found(view({ records, guests: undefined, knownHosts: undefined }));
    expect(f?.key).toBe('duplicate-address:names/10.5.0.3');
    expect(f?.fix).toBe("A aaa → 10.5.0.3 is in lab.yaml's records: correct or remove its entry there, then homelab apply");
    const named = found(view({ records: [a('alpha', '10.5.0.3'), a('proxy', '10.5.0.3')], guests: undefined, knownHosts: undefined, proxyNames: { name: 'proxy.home.lan', address: '10.5.0.3' } }));
    expect(named[0]?.fix).toBe('homelab dns delete alpha --type A --value 10.5.0.3 && homelab dns add-cname alpha proxy');
  });
});

describe('proxy targets', () => {
  it('a stopped DHCP guest that its own record names is stopped, not missing', () => {
    const v = view({
      guests: [guest(301, 'jellyfin', [], { status: 'stopped' })],
      records: [a('jellyfin', '10.5.0.101')],
      proxyHosts: [host(14, 'jf', '10.5.0.101', 8096)],
      monitors: [{ id: 1, name: 'jf', type: 'http', url: 'https://jf.home.lan', hostname: null, active: true }],
    });
    expect(found(v)).toEqual([{
      key: 'proxy-to-stopped-guest:jf.home.lan', severity: 'error', message: 'jf.home.lan forwards to VM 301 (jellyfin), which is stopped',
      says: ['proxy: jf.home.lan (#14) forwards to http://10.5.0.101:8096', 'pve: VM 301 (jellyfin) on pve1 is stopped'], fix: 'homelab pve start 301',
    }]);
  });

  it('loopback is the proxy\'s own machine; a name no guest has may be added to check.hosts', () => {
    const monitors = ['admin', 'docs', 'six'].map((n, i) => ({ id: i + 1, name: n, type: 'http', url: `https://${n}.home.lan`, hostname: null, active: true }));
    const v = view({ proxyHosts: [host(1, 'admin', 'localhost', 81), host(2, 'docs', 'paperless-webserver', 8000), host(3, 'six', '::1', 81)], monitors });
    const [f, ...rest] = found(v);
    expect(rest).toEqual([]);
    expect(f?.key).toBe('proxy-to-missing-guest:docs.home.lan');
    expect(f?.fix).toBe('homelab proxy update docs.home.lan --target <host:port>, or homelab proxy delete docs.home.lan, or if paperless-webserver is a machine of the lab that is not a guest (a NAS, a container beside the proxy), add it to check.hosts in config.yaml');
    expect(found({ ...v, knownHosts: new Map([['paperless-webserver', 'paperless-webserver (check.hosts)']]) })).toEqual([]);
  });

  it('IPv6 written two ways is one address: no stale record, no missing target, one conflict', () => {
    const v = view({
      guests: [guest(300, 'v6host', ['10.5.0.50', 'fd00::50'])],
      records: [a('v6host', '10.5.0.50'), { name: 'v6host.home.lan', type: 'AAAA', value: 'fd00::50', disabled: false }],
      proxyHosts: [host(1, 'six', 'FD00:0:0:0::50', 80)],
      monitors: [{ id: 1, name: 'six', type: 'http', url: 'https://six.home.lan', hostname: null, active: true }],
    });
    expect(found(v)).toEqual([]);
  });
});

describe('check: section in one spelling', () => {
  it('a probe_map key and a check.hosts address match whatever the IPv6 spelling', () => {
    const c = checkConfig({ path: 'config.yaml', services: {}, ssh: { targets: [] }, check: { probe_map: { '[FD00:0:0:0::50]:80': '127.0.0.1:4000' }, hosts: ['FD00:0::61', 'NAS'] } } as unknown as HomelabConfig);
    expect(c.probeMap.get(probeKeyOf('[fd00::50]:80'))).toBe('127.0.0.1:4000');
    expect(c.hosts).toEqual(['fd00::61', 'nas']);
  });
});

describe('addresses a DHCP guest reports', () => {
  const docker = (mac: string, own: string): { name: string; mac: string | null; addresses: string[] }[] => [
    { name: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1/8', '::1/128'] },
    { name: 'eth0', mac, addresses: [`${own}/24`, 'fe80::be24:11ff:fe00:1/64'] },
    { name: 'docker0', mac: '02:42:ac:11:00:01', addresses: ['172.17.0.1/16'] },
    { name: 'br-5f1c2a', mac: '02:42:5f:1c:2a:00', addresses: ['172.18.0.1/16'] },
    { name: 'veth12ab', mac: '3a:11:22:33:44:55', addresses: [] },
  ];

  it('only the interface on the guest\'s own NIC counts (its net0 MAC); without MACs, bridges and veths are left out', () => {
    const macs = configMacs({ net0: 'virtio=BC:24:11:AA:BB:01,bridge=vmbr0,firewall=1', ipconfig0: 'ip=dhcp', net1: 'name=eth1,bridge=vmbr1,hwaddr=BC:24:11:AA:BB:02,ip=dhcp' });
    expect([...macs]).toEqual(['bc:24:11:aa:bb:01', 'bc:24:11:aa:bb:02']);
    expect(learnedAddresses(docker('bc:24:11:aa:bb:01', '10.5.0.101'), macs)).toEqual(['10.5.0.101']);
    expect(learnedAddresses(docker('bc:24:11:00:00:99', '10.5.0.101').map((i) => ({ ...i, mac: null })), new Set())).toEqual(['10.5.0.101']);
  });

  it('two Docker hosts are no address conflict; a real one between reported addresses is not called configured', () => {
    const learned = (vmid: number, name: string, address: string): GuestView => guest(vmid, name, [address], { learned: [address] });
    const docker1 = learnedAddresses(docker('bc:24:11:aa:bb:01', '10.5.0.101'), new Set(['bc:24:11:aa:bb:01']));
    const docker2 = learnedAddresses(docker('bc:24:11:aa:bb:02', '10.5.0.102'), new Set(['bc:24:11:aa:bb:02']));
    const records = [a('docker-a', '10.5.0.101'), a('docker-b', '10.5.0.102')];
    expect(found(view({ guests: [learned(300, 'docker-a', docker1[0] ?? ''), learned(301, 'docker-b', docker2[0] ?? '')], records }))).toEqual([]);
    const [clash] = found(view({ guests: [guest(300, 'docker-a', ['10.5.0.101']), learned(301, 'docker-b', '10.5.0.101')], records: [a('docker-a', '10.5.0.101'), a('docker-b', '10.5.0.101')] }));
    expect(clash?.message).toBe('VM 300 (docker-a) and VM 301 (docker-b) both have 10.5.0.101');
    expect(clash?.says).toEqual(['pve: VM 300 (docker-a) on pve1 (running) has 10.5.0.101', 'pve: VM 301 (docker-b) on pve1 (running) reports 10.5.0.101 (DHCP, pve ip 301)']);
    expect(clash?.fix).toBe('give all but one of 300, 301 another address (ipconfig0 / net0 of the guest in PVE, or its reservation in the DHCP server)');
  });
});

describe('monitors and certificates', () => {
  it('a monitor whose hand-made proxy host is disabled: enable it (adding one would be refused)', () => {
    const v = view({
      proxyHosts: [host(6, 'dockge', '10.5.0.11', 5001, { enabled: false })],
      monitors: [{ id: 8, name: 'dockge', type: 'http', url: 'https://dockge.home.lan', hostname: null, active: true }],
    });
    const [f] = found(v);
    expect(f?.message).toBe('Kuma monitor dockge checks dockge.home.lan, which no enabled proxy host serves');
    expect(f?.says[1]).toBe('proxy: proxy host #6 (dockge.home.lan) serves dockge.home.lan but is disabled');
    expect(f?.fix).toBe('homelab proxy enable dockge.home.lan, or homelab kuma delete 8');
  });

  it("a Let's Encrypt certificate's fix renews and deletes the old one in one line, so its finding goes", () => {
    const v = view({ certificates: [{ id: 7, name: 'git.home.lan', provider: 'letsencrypt', domains: ['git.home.lan'], expiresOn: null, daysLeft: 5, usedBy: ['git.home.lan'], otherUses: [] }] });
    expect(found(v)[0]?.fix).toBe("homelab proxy update git.home.lan --new-cert && homelab proxy cert-delete 7 (NPM renews Let's Encrypt certificates itself: see why it did not)");
  });

  it('with only the active monitors (Kuma API key), the paused-monitor rule is unknown and a missing monitor may be a paused one', () => {
    const v = view({ proxyHosts: [host(3, 'docs', '10.5.0.12', 3000, { app: 'docs' })], guests: [guest(107, 'forgejo', ['10.5.0.12'])], records: [a('forgejo', '10.5.0.12')], monitors: [], monitorsActiveOnly: true });
    const r = findAll(v, t, now);
    const kuma = (u: typeof r.unknown): typeof r.unknown => u.filter((x) => x.missing.includes('monitors'));
    expect(kuma(r.unknown)).toEqual([{ kinds: ['managed-monitor-paused'], missing: ['monitors'], reason: expect.stringContaining('paused monitors need KUMA_USERNAME and KUMA_PASSWORD') }]);
    expect(r.findings.find((f) => f.kind === 'proxy-without-monitor')?.evidence[1]?.says).toMatch(/^no active monitor checks docs\.home\.lan \(a paused one may/);
    expect(kuma(findAll({ ...v, monitorsActiveOnly: false }, t, now).unknown)).toEqual([]);
  });
});
