/**
 * `homelab check`'s fixes for objects homelab manages: never a hand delete (it would leave
 * an app half-removed, or the next apply would re-create a lab.yaml record), but `unexpose`
 * or lab.yaml. Unmanaged objects keep their hand fixes. Pure rules over plain data, and the
 * listing's markers read into the views.
 */
import { describe, expect, it } from 'vitest';
import { findAll, type LabView } from '../../../src/services/hub/check-findings/index.js';

const zone = 'home.lan';
const T = { certWarnDays: 14, certErrorDays: 3 };

function view(parts: Partial<LabView>): LabView {
  return {
    zone, guests: [{ vmid: 107, name: 'forgejo', type: 'lxc', node: 'pve1', status: 'running', template: false, onboot: false, addresses: ['10.5.0.12'] }],
    knownHosts: new Map(), records: [], proxyHosts: [], monitors: [], certificates: [], backups: undefined, systems: undefined, probes: undefined, ...parts,
  };
}
const fixes = (v: LabView, kind: string): string[] => findAll(v, T, 1_800_000_000).findings.filter((f) => f.kind === kind).map((f) => f.fix);

describe('check fixes for managed objects', () => {
  it('a stale record of an app or of lab.yaml points at unexpose or lab.yaml; a hand-made one at dns delete', () => {
    const v = view({ records: [
      { name: `pad.${zone}`, type: 'A', value: '10.5.0.99', disabled: false, app: 'pad' },
      { name: `nas.${zone}`, type: 'A', value: '10.5.0.98', disabled: false, labRecord: true },
      { name: `old.${zone}`, type: 'A', value: '10.5.0.97', disabled: false },
    ] });
    expect(fixes(v, 'stale-record').sort()).toEqual([
      "A nas → 10.5.0.98 is in lab.yaml's records: correct or remove its entry there, then homelab apply",
      "A pad → 10.5.0.99 is homelab's for app pad: homelab unexpose pad (or change apps.pad in lab.yaml, then homelab apply)",
      'homelab dns delete old --type A --value 10.5.0.97 (or, if 10.5.0.97 is a machine of the lab that is not a guest, add it to check.hosts in config.yaml)',
    ]);
  });

  it('a marked proxy host to a missing guest points at expose or unexpose, never proxy delete', () => {
    const host = { id: 7, domains: [`pad.${zone}`], forwardScheme: 'http', forwardHost: 'gone', forwardPort: 80, enabled: true };
    const [marked] = fixes(view({ proxyHosts: [{ ...host, app: 'pad' }] }), 'proxy-to-missing-guest');
    // No record and no monitor of the app: the fix says so, or a run would add them.
    expect(marked).toBe('homelab expose pad <host:port> --dns none --no-monitor (forwards it there; for an app in lab.yaml, change its target and apply), or homelab unexpose pad, or if gone is a machine of the lab that is not a guest (a NAS, a container beside the proxy), add it to check.hosts in config.yaml');
    expect(marked).not.toContain('proxy delete');
    expect(fixes(view({ proxyHosts: [host] }), 'proxy-to-missing-guest')).toEqual([`homelab proxy update pad.${zone} --target <host:port>, or homelab proxy delete pad.${zone}, or if gone is a machine of the lab that is not a guest (a NAS, a container beside the proxy), add it to check.hosts in config.yaml`]);
  });

  it("a marked monitor with no proxy host points at unexpose; a marked host with no monitor at a re-run of expose", () => {
    const monitor = { id: 3, name: 'pad', type: 'http', url: `https://pad.${zone}`, hostname: null, active: true };
    expect(fixes(view({ monitors: [{ ...monitor, app: 'pad' }] }), 'monitor-without-proxy'))
      .toEqual(['monitor "pad" is homelab\'s for app pad: homelab unexpose pad (or change apps.pad in lab.yaml, then homelab apply)']);
    expect(fixes(view({ monitors: [monitor] }), 'monitor-without-proxy')).toEqual([`homelab kuma delete 3, or homelab proxy add pad.${zone} <host:port>`]);
    const host = { id: 7, domains: [`pad.${zone}`], forwardScheme: 'http', forwardHost: '10.5.0.12', forwardPort: 3000, enabled: true, app: 'pad' };
    expect(fixes(view({ proxyHosts: [host] }), 'proxy-without-monitor')[0]).toMatch(/^homelab expose pad 10\.5\.0\.12:3000 --dns none \(a re-run with the app's options adds the monitor\)/);
  });

  it("an app's expose fix carries its options as they are: DNS mode, certificate, SSL, websockets, exploits, scheme, monitor URL", () => {
    const proxyNames = { name: 'proxy.home.lan', address: '10.5.0.2' };
    const host = { id: 7, domains: [`pad.${zone}`], forwardScheme: 'http', forwardHost: '10.5.0.61', forwardPort: 9001, enabled: true, app: 'pad' };
    const padA = { name: `pad.${zone}`, type: 'A', value: '10.5.0.2', disabled: false, app: 'pad' };
    const monitor = (url: string) => ({ id: 3, name: 'pad', type: 'http', url, hostname: null, active: true, app: 'pad' });
    // The audit's app: dns a, cert none, its monitor at http://.
    const plain = { ...host, certificate: null, sslForced: false, websockets: false, blockExploits: true };
    expect(fixes(view({ proxyHosts: [plain], records: [padA], monitors: [monitor(`http://pad.${zone}`)], proxyNames }), 'proxy-to-missing-guest')[0])
      .toMatch(/^homelab expose pad <host:port> --dns a --cert none \(forwards it there;/);
    // Every option off its default; a CNAME elsewhere; a monitor URL a shell must get in one word.
    const odd = { ...host, forwardScheme: 'https', certificate: { id: 4, daysLeft: 50 }, sslForced: false, websockets: true, blockExploits: false };
    const cname = { name: `pad.${zone}`, type: 'CNAME', value: 'edge.example.lan', disabled: false, app: 'pad' };
    expect(fixes(view({ proxyHosts: [odd], records: [cname], monitors: [monitor(`https://pad.${zone}/health?a=1&b=2`)], proxyNames }), 'proxy-to-missing-guest')[0])
      .toMatch(/^homelab expose pad <host:port> --dns edge\.example\.lan --scheme https --websockets --cert 4 --no-force-ssl --no-block-exploits --monitor-url 'https:\/\/pad\.home\.lan\/health\?a=1&b=2' \(/);
    // A CNAME to the proxy's name and an expired certificate (expose refuses an expired one by id: auto replaces it).
    const expired = { ...host, certificate: { id: 4, daysLeft: -1 }, sslForced: true, websockets: false, blockExploits: true };
    const toProxy = { ...cname, value: 'proxy.home.lan' };
    expect(fixes(view({ proxyHosts: [expired], records: [toProxy], monitors: [monitor(`https://pad.${zone}`)], proxyNames }), 'proxy-to-missing-guest')[0])
      .toMatch(/^homelab expose pad <host:port> --dns cname --cert auto \(/);
  });

  it('a target that is no guest is an error, a DNS record naming it or not, and its fix names check.hosts; listed there, it is a known host', () => {
    const nas = { name: `nas.${zone}`, type: 'A', value: '10.5.0.60', disabled: false };
    const host = { id: 8, domains: [`nasui.${zone}`], forwardScheme: 'http', forwardHost: '10.5.0.60', forwardPort: 3000, enabled: true };
    const found = findAll(view({ proxyHosts: [host], records: [nas] }), T, 1_800_000_000).findings;
    const missing = found.find((f) => f.kind === 'proxy-to-missing-guest');
    expect(missing).toMatchObject({ severity: 'error', message: `nasui.${zone} forwards to 10.5.0.60, which no guest or known host is` });
    expect(missing?.evidence.find((e) => e.service === 'dns')?.says).toBe(`A nas.${zone} → 10.5.0.60`);
    expect(missing?.fix).toBe(`homelab proxy update nasui.${zone} --target <host:port>, or homelab proxy delete nasui.${zone}, or if 10.5.0.60 is a machine of the lab that is not a guest (a NAS, a printer), add it to check.hosts in config.yaml`);
    expect(found.find((f) => f.kind === 'stale-record')?.fix).toBe('homelab dns delete nas --type A --value 10.5.0.60 (or, if 10.5.0.60 is a machine of the lab that is not a guest, add it to check.hosts in config.yaml)');
    // Without a record naming it: an error too, with the same way out.
    expect(findAll(view({ proxyHosts: [host] }), T, 1_800_000_000).findings.find((f) => f.kind === 'proxy-to-missing-guest'))
      .toMatchObject({ severity: 'error', fix: missing?.fix });
    // Known (as check.hosts makes it, by address or by name): no finding about it at all.
    for (const known of [new Map([['10.5.0.60', '10.5.0.60 (check.hosts)']]), new Map([[`nas.${zone}`, 'nas (check.hosts)']])]) {
      const byName = { ...host, forwardHost: known.has('10.5.0.60') ? '10.5.0.60' : `nas.${zone}` };
      const clean = findAll(view({ proxyHosts: [byName], records: [nas], knownHosts: known }), T, 1_800_000_000).findings;
      expect(clean.filter((f) => f.kind === 'proxy-to-missing-guest')).toEqual([]);
    }
  });
});
