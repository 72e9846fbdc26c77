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
      'homelab dns delete old --type A --value 10.5.0.97',
    ]);
  });

  it('a marked proxy host to a missing guest points at expose or unexpose, never proxy delete', () => {
    const host = { id: 7, domains: [`pad.${zone}`], forwardScheme: 'http', forwardHost: 'gone', forwardPort: 80, enabled: true };
    const [marked] = fixes(view({ proxyHosts: [{ ...host, app: 'pad' }] }), 'proxy-to-missing-guest');
    expect(marked).toBe('homelab expose pad <host:port> (forwards it there; for an app in lab.yaml, change its target and apply), or homelab unexpose pad');
    expect(marked).not.toContain('proxy delete');
    expect(fixes(view({ proxyHosts: [host] }), 'proxy-to-missing-guest')).toEqual([`homelab proxy update pad.${zone} --target <host:port>, or homelab proxy delete pad.${zone}`]);
  });

  it("a marked monitor with no proxy host points at unexpose; a marked host with no monitor at a re-run of expose", () => {
    const monitor = { id: 3, name: 'pad', type: 'http', url: `https://pad.${zone}`, hostname: null, active: true };
    expect(fixes(view({ monitors: [{ ...monitor, app: 'pad' }] }), 'monitor-without-proxy'))
      .toEqual(['monitor "pad" is homelab\'s for app pad: homelab unexpose pad (or change apps.pad in lab.yaml, then homelab apply)']);
    expect(fixes(view({ monitors: [monitor] }), 'monitor-without-proxy')).toEqual([`homelab kuma delete 3, or homelab proxy add pad.${zone} <host:port>`]);
    const host = { id: 7, domains: [`pad.${zone}`], forwardScheme: 'http', forwardHost: '10.5.0.12', forwardPort: 3000, enabled: true, app: 'pad' };
    expect(fixes(view({ proxyHosts: [host] }), 'proxy-without-monitor')[0]).toMatch(/^homelab expose pad 10\.5\.0\.12:3000 with its options \(a re-run adds the monitor\)/);
  });
});
