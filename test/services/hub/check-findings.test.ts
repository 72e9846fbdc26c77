/**
 * The rules of `homelab check` as pure functions over plain data: each finds its case,
 * stays quiet on the consistent lab next to it, and a missing part (service skipped or
 * failed) makes its rules unknown instead of finding nothing.
 */
import { describe, expect, it } from 'vitest';
import { findAll, type GuestView, type LabView, type ProxyHostView, type RecordView } from '../../../src/services/hub/check-findings/index.js';
import { resolveTarget } from '../../../src/services/hub/check-findings/proxy.js';

const zone = 'home.lan';
const now = 1_800_000_000;
const guest = (vmid: number, name: string, address: string, extra: Partial<GuestView> = {}): GuestView => ({
  vmid, name, type: 'lxc', node: 'pve1', status: 'running', template: false, onboot: false, addresses: address ? [address] : [], ...extra,
});
const a = (name: string, value: string, disabled = false): RecordView => ({ name: `${name}.${zone}`, type: 'A', value, disabled });
const host = (id: number, domain: string, forwardHost: string, forwardPort = 80): ProxyHostView => ({ id, domains: [`${domain}.${zone}`], forwardScheme: 'http', forwardHost, forwardPort, enabled: true });

/** A small consistent lab: every rule has what it needs and finds nothing. */
function consistent(): LabView {
  return {
    zone,
    guests: [guest(100, 'dns', '10.5.0.2'), guest(101, 'proxy', '10.5.0.3'), guest(107, 'forgejo', '10.5.0.12'), guest(9000, 'tmpl', '', { template: true, status: 'stopped', onboot: false })],
    knownHosts: new Map([['10.5.0.1', 'node pve1'], ['10.5.0.254', 'gateway']]),
    records: [a('dns', '10.5.0.2'), a('proxy', '10.5.0.3'), a('forgejo', '10.5.0.12'), a('pve1', '10.5.0.1'), a('gateway', '10.5.0.254'),
      { name: `git.${zone}`, type: 'CNAME', value: `proxy.${zone}`, disabled: false }, a('nas', '10.5.0.30', true)],
    proxyHosts: [host(1, 'git', '10.5.0.12', 3000)],
    monitors: [{ id: 1, name: 'forgejo', type: 'http', url: `https://git.${zone}`, hostname: null, active: true }, { id: 2, name: 'pve1', type: 'ping', url: null, hostname: '10.5.0.1', active: true }],
    certificates: [{ id: 1, name: `git.${zone}`, provider: 'letsencrypt', domains: [`git.${zone}`], expiresOn: null, daysLeft: 60, usedBy: [`git.${zone}`], otherUses: [] }],
    backups: { notCovered: [9000], recent: new Set([100, 101, 107]), newest: new Map(), maxAgeHours: 26 },
    systems: [{ name: 'forgejo', host: '10.5.0.12', status: 'up' }, { name: 'pve1', host: '10.5.0.1', status: 'up' }],
    probes: undefined,
  };
}
const kinds = (v: LabView): string[] => findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings.map((f) => `${f.severity} ${f.key}`);

describe('check rules', () => {
  it('finds nothing in a consistent lab, and every rule ran', () => {
    const r = findAll(consistent(), { certWarnDays: 14, certErrorDays: 3 }, now);
    expect(r.findings).toEqual([]);
    expect(r.unknown).toEqual([]);
  });

  it('names and addresses: a running guest without DNS, a stale record, two names and two guests on one address', () => {
    const v = consistent();
    v.guests?.push(guest(200, 'ha', '10.5.0.20'), guest(201, 'media', '10.5.0.21', { status: 'stopped' }), guest(202, 'clash', '10.5.0.12', { status: 'stopped' }));
    v.records?.push(a('old', '10.5.0.40'), a('photos', '10.5.0.12'), a('media', '10.5.0.21'));
    expect(kinds(v).sort()).toEqual([
      'error duplicate-address:guests/10.5.0.12',
      'warning duplicate-address:names/10.5.0.12',
      'warning guest-without-dns:200',
      'warning stale-record:old.home.lan/10.5.0.40',
    ]);
    const names = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings.find((f) => f.key === 'duplicate-address:names/10.5.0.12');
    expect(names?.fix).toBe('homelab dns delete photos --type A --value 10.5.0.12 && homelab dns add-cname photos forgejo');
  });

  it('more than two guests or names on one address are listed with commas and "all", two with "both"', () => {
    const v = consistent();
    v.guests?.push(guest(108, 'web2', '10.5.0.21', { type: 'qemu' }), guest(130, 'web2', '10.5.0.21', { type: 'qemu' }), guest(201, 'media', '10.5.0.21', { type: 'qemu' }));
    v.records?.push(a('web2', '10.5.0.21'), a('media', '10.5.0.21'), a('photos', '10.5.0.12'));
    const found = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    const message = (key: string): string | undefined => found.find((f) => f.key === key)?.message;
    expect(message('duplicate-address:guests/10.5.0.21')).toBe('VM 108 (web2), VM 130 (web2) and VM 201 (media) are all configured with 10.5.0.21');
    expect(message('duplicate-address:names/10.5.0.21')).toBe('web2.home.lan and media.home.lan both point at 10.5.0.21');
    v.guests?.push(guest(203, 'media-next', '10.5.0.21', { type: 'qemu' }));
    v.records?.push(a('tv', '10.5.0.21'));
    const more = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    expect(more.find((f) => f.key === 'duplicate-address:guests/10.5.0.21')?.message)
      .toBe('VM 108 (web2), VM 130 (web2), VM 201 (media) and VM 203 (media-next) are all configured with 10.5.0.21');
    expect(more.find((f) => f.key === 'duplicate-address:names/10.5.0.21')?.message).toBe('web2.home.lan, media.home.lan and tv.home.lan all point at 10.5.0.21');
  });

  it('a record pointed at a guest only the guest knows the address of (DHCP) is not called stale', () => {
    const v = consistent();
    v.guests?.push(guest(300, 'laptop', '', { status: 'stopped' }));
    v.records?.push(a('laptop', '10.5.0.150'));
    expect(kinds(v)).toEqual([]);
  });

  it('proxy hosts: to a stopped guest, to a missing one (by address and by name), and silent targets when probed', () => {
    const v = consistent();
    v.guests?.push(guest(201, 'media', '10.5.0.21', { status: 'stopped' }));
    v.records?.push(a('media', '10.5.0.21'));
    v.proxyHosts?.push(host(2, 'media', 'media', 8096), host(3, 'notes', '10.5.0.40', 6875), host(4, 'wiki', 'gone.home.lan', 80), host(5, 'dns', '10.5.0.2', 5380));
    v.monitors?.push(...['media', 'notes', 'wiki', 'dns'].map((n, i) => ({ id: 10 + i, name: n, type: 'http', url: `http://${n}.${zone}`, hostname: null, active: i !== 0 })));
    expect(kinds(v).sort()).toEqual(['error proxy-to-missing-guest:notes.home.lan', 'error proxy-to-missing-guest:wiki.home.lan', 'error proxy-to-stopped-guest:media.home.lan']);
    v.probes = new Map([['10.5.0.12:3000', true], ['10.5.0.40:6875', true], ['10.5.0.2:5380', false]]);
    expect(kinds(v).sort()).toEqual(['error proxy-target-not-answering:dns.home.lan', 'error proxy-to-missing-guest:wiki.home.lan', 'error proxy-to-stopped-guest:media.home.lan']);
  });

  it('resolves forward hosts by address, guest name, FQDN and CNAME chain', () => {
    const v = consistent();
    const g = v.guests ?? [];
    const hosts = v.knownHosts ?? new Map<string, string>();
    expect(resolveTarget('10.5.0.12', g, hosts, v.records, zone)).toMatchObject({ kind: 'guest', guest: { vmid: 107 } });
    expect(resolveTarget('forgejo', g, hosts, v.records, zone)).toMatchObject({ kind: 'guest', guest: { vmid: 107 } });
    expect(resolveTarget('git.home.lan', g, hosts, v.records, zone)).toMatchObject({ kind: 'guest', guest: { vmid: 101 } });
    expect(resolveTarget('10.5.0.1', g, hosts, v.records, zone)).toEqual({ kind: 'host', name: 'node pve1', address: '10.5.0.1' });
    expect(resolveTarget('nas.home.lan', g, hosts, v.records, zone)).toEqual({ kind: 'unknown', address: null });
  });

  it('monitors: a proxy host no monitor watches (paused ones count), a monitor of a name no proxy host serves', () => {
    const v = consistent();
    v.proxyHosts?.push(host(2, 'dns', '10.5.0.2', 5380), host(3, 'paused', '10.5.0.3', 81), { ...host(4, 'off', '10.5.0.3', 81), enabled: false });
    v.monitors?.push({ id: 5, name: 'p', type: 'http', url: `https://paused.${zone}`, hostname: null, active: false },
      { id: 6, name: 'grafana', type: 'http', url: `https://grafana.${zone}`, hostname: null, active: true },
      { id: 7, name: 'direct', type: 'http', url: `http://dns.${zone}:5380`, hostname: null, active: true },
      { id: 8, name: 'ext', type: 'http', url: 'https://example.org', hostname: null, active: true });
    const found = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    expect(found.map((f) => f.key).sort()).toEqual(['monitor-without-proxy:6', 'proxy-without-monitor:dns.home.lan']);
    expect(found.find((f) => f.kind === 'proxy-without-monitor')?.fix).toBe('homelab kuma add http dns http://dns.home.lan');
  });

  it('certificates: a warning within 14 days, an error within 3 and once expired', () => {
    const v = consistent();
    const cert = (id: number, daysLeft: number) => ({ id, name: `c${id}`, provider: 'other', domains: [`c${id}.${zone}`], expiresOn: null, daysLeft, usedBy: [`c${id}.${zone}`], otherUses: [] });
    v.certificates?.push(cert(2, 14), cert(3, 15), cert(4, 3), cert(5, -2), cert(6, 4));
    expect(kinds(v).sort()).toEqual(['error certificate-expiring:4', 'error certificate-expiring:5', 'warning certificate-expiring:2', 'warning certificate-expiring:6']);
  });

  it('certificates no host uses: a warning whatever the days, fixed by deleting them; one a redirection or 404 host uses is in use, renewed in NPM', () => {
    const v = consistent();
    const cert = (id: number, daysLeft: number, usedBy: string[], otherUses: string[] = []) => ({ id, name: `c${id}`, provider: 'letsencrypt', domains: [`c${id}.${zone}`], expiresOn: null, daysLeft, usedBy, otherUses });
    v.certificates?.push(cert(7, -2, []), cert(8, 10, []), cert(9, -2, [`c9.${zone}`]), cert(10, 10, [], [`redirection host c10.${zone}`]),
      cert(11, -1, [`c11.${zone}`], [`404 host old.${zone}`]));
    const found = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings.filter((f) => f.kind === 'certificate-expiring');
    expect(found.map((f) => `${f.severity} ${f.key}: ${f.fix}`).sort()).toEqual([
      `error certificate-expiring:11: renew it in Nginx Proxy Manager: SSL Certificates, Renew Now (c11.${zone}, 404 host old.${zone} use it; NPM renews Let's Encrypt certificates itself: see why it did not)`,
      `error certificate-expiring:9: homelab proxy update c9.${zone} --new-cert && homelab proxy cert-delete 9 (NPM renews Let's Encrypt certificates itself: see why it did not)`,
      `warning certificate-expiring:10: renew it in Nginx Proxy Manager: SSL Certificates, Renew Now (redirection host c10.${zone} uses it; NPM renews Let's Encrypt certificates itself: see why it did not)`,
      'warning certificate-expiring:7: homelab proxy cert-delete 7 (no proxy, redirection or 404 host or stream uses it)',
      'warning certificate-expiring:8: homelab proxy cert-delete 8 (no proxy, redirection or 404 host or stream uses it)',
    ]);
    expect(found.find((f) => f.key.endsWith(':7'))?.message).toBe('certificate c7 expired 2 days ago, and no host uses it');
    expect(found.find((f) => f.key.endsWith(':10'))?.evidence[0]?.says).toContain(`used by redirection host c10.${zone}`);
  });

  it('a host still naming a deleted certificate: an app is exposed again with --cert auto, a hand-made host without a covering one gets a new one', () => {
    const v = consistent();
    const gone = { certificate: null, deletedCertificateId: 9, sslForced: true, websockets: false, blockExploits: true };
    v.proxyHosts?.push({ ...host(2, 'pad', '10.5.0.12', 9001), ...gone, app: 'pad' }, { ...host(3, 'wiki', '10.5.0.12', 3003), ...gone, sslForced: false });
    v.records?.push({ name: `pad.${zone}`, type: 'CNAME', value: `proxy.${zone}`, disabled: false, app: 'pad' }, { name: `wiki.${zone}`, type: 'CNAME', value: `proxy.${zone}`, disabled: false });
    v.monitors?.push({ id: 3, name: 'pad', type: 'http', url: `https://pad.${zone}`, hostname: null, active: true, app: 'pad' });
    const found = findAll({ ...v, proxyNames: { name: `proxy.${zone}`, address: '10.5.0.3' } }, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    expect(found.map((f) => `${f.severity} ${f.key}: ${f.fix}`)).toEqual([
      `error proxy-certificate-deleted:pad.${zone}: homelab expose pad 10.5.0.12:9001 --dns cname --cert auto (gives it a certificate that covers the name, the app's other options as they are)`,
      `warning proxy-without-monitor:wiki.${zone}: homelab kuma add http wiki http://wiki.${zone}`,
      `warning proxy-certificate-deleted:wiki.${zone}: homelab proxy update wiki.${zone} --new-cert (a new Let's Encrypt certificate; or --cert <id>, or --cert 0 for none)`,
    ]);
  });

  it('backups: an onboot guest no job covers, one whose newest backup is too old or missing; others are left alone', () => {
    const v = consistent();
    const on = { onboot: true };
    v.guests?.push(guest(105, 'pbs', '10.5.0.6', on), guest(106, 'dockge', '10.5.0.11', on), guest(108, 'fresh-in-pbs', '10.5.0.13', on), guest(109, 'never', '10.5.0.14', on), guest(110, 'off', '10.5.0.15'), guest(111, 'recent', '10.5.0.16', on));
    v.records?.push(...['pbs', 'dockge', 'fresh-in-pbs', 'never', 'off', 'recent'].map((n, i) => a(n, `10.5.0.${[6, 11, 13, 14, 15, 16][i] ?? 0}`)));
    v.backups = {
      notCovered: [105, 110, 9000], recent: new Set([100, 101, 107, 111]), maxAgeHours: 26,
      newest: new Map([[106, { time: now - 77 * 3600, where: 'PBS main (ct/106)' }], [108, { time: now - 3600, where: 'PBS main (ct/108)' }]]),
    };
    expect(kinds(v).sort()).toEqual(['error backup-too-old:106', 'error backup-too-old:109', 'error guest-not-backed-up:105']);
  });

  it('Beszel against PVE: down while running, up while stopped; matched by address, then name', () => {
    const v = consistent();
    v.guests?.push(guest(201, 'media', '10.5.0.21', { status: 'stopped' }), guest(202, 'win11', '10.5.0.22', { status: 'stopped', onboot: false }), guest(203, 'ha', '10.5.0.23'));
    v.records?.push(a('ha', '10.5.0.23'));
    v.backups?.recent.add(201).add(203);
    v.systems?.push({ name: 'media', host: '10.5.0.21', status: 'down' }, { name: 'desk', host: '10.5.0.22', status: 'up' }, { name: 'ha', host: 'ha.home.lan', status: 'down' }, { name: 'nas', host: '10.5.0.30', status: 'down' });
    expect(kinds(v).sort()).toEqual(['warning beszel-down-guest-running:ha', 'warning beszel-up-guest-stopped:desk']);
  });

  it('of two guests with one address, the running one is the proxy target and the named one is the Beszel system', () => {
    const v = consistent();
    // A stopped clone listed before the guest it copied, with its address.
    v.guests?.unshift(guest(99, 'forgejo-next', '10.5.0.12', { status: 'stopped' }));
    v.backups?.recent.add(99);
    expect(resolveTarget('10.5.0.12', v.guests ?? [], v.knownHosts ?? new Map(), v.records, zone)).toMatchObject({ kind: 'guest', guest: { vmid: 107 } });
    expect(kinds(v)).toEqual(['error duplicate-address:guests/10.5.0.12']);
    v.systems = [{ name: 'forgejo', host: '10.5.0.12', status: 'down' }];
    expect(kinds(v)).toEqual(['error duplicate-address:guests/10.5.0.12', 'warning beszel-down-guest-running:forgejo']);
  });

  it('a probe made at another address (check.probe_map) says where', () => {
    const v = consistent();
    v.probes = new Map([['10.5.0.12:3000', false]]);
    v.probeVia = new Map([['10.5.0.12:3000', '127.0.0.1:40001']]);
    const [silent] = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    expect(silent?.kind).toBe('proxy-target-not-answering');
    expect(silent?.evidence.at(-1)).toEqual({ service: 'probe', says: '10.5.0.12:3000 (probed at 127.0.0.1:40001) did not accept a TCP connection' });
  });

  it('a disabled proxy host or a paused monitor is a warning when homelab made it for an app, and nobody\'s business when made by hand', () => {
    const v = consistent();
    v.proxyHosts?.push({ ...host(2, 'chat', '10.5.0.12', 3001), enabled: false, app: 'chat' }, { ...host(3, 'old', '10.5.0.12', 3002), enabled: false });
    v.monitors?.push({ id: 3, name: 'chat', type: 'http', url: `https://chat.${zone}`, hostname: null, active: false, app: 'chat' }, { id: 4, name: 'old', type: 'http', url: `https://git.${zone}/old`, hostname: null, active: false });
    // The monitor of chat's disabled host is not "a monitor no proxy host serves": the host is there, switched off.
    const found = findAll(v, { certWarnDays: 14, certErrorDays: 3 }, now).findings;
    expect(found.map((f) => `${f.severity} ${f.key}`)).toEqual(['warning managed-host-disabled:chat.home.lan', 'warning managed-monitor-paused:3']);
    expect(found.map((f) => f.fix)).toEqual([
      'homelab proxy enable chat.home.lan (or homelab apply, for an app in lab.yaml; homelab expose chat … does it too)',
      'homelab kuma resume 3 (or homelab apply, for an app in lab.yaml; homelab expose chat … does it too)',
    ]);
  });

  it('a part that is unknown makes its rules unknown, and the rules it does not touch still run', () => {
    const v = consistent();
    v.guests?.push(guest(200, 'ha', '10.5.0.20'));
    const r = findAll({ ...v, records: undefined, monitors: undefined }, { certWarnDays: 14, certErrorDays: 3 }, now);
    expect(r.findings).toEqual([]);
    expect(r.unknown.flatMap((u) => u.kinds).sort()).toEqual(['duplicate-address', 'guest-without-dns', 'managed-monitor-paused', 'monitor-without-proxy', 'proxy-without-monitor', 'stale-record']);
    expect(findAll({ ...v, monitors: undefined }, { certWarnDays: 14, certErrorDays: 3 }, now).findings.map((f) => f.key)).toEqual(['guest-without-dns:200']);
  });
});
