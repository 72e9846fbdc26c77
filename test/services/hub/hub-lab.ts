/**
 * The lab the expose tests share: PVE, DNS, NPM and Kuma simulators, accessors for each,
 * look-ups of what the services hold, and every request that changed something.
 */
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import type { LabSim } from '../../../src/lab/lab.js';
import { useLab } from '../../helpers/lab.js';

/** Starts the lab around the file's tests (call at module level); the accessors read it. */
export function useHubLab() {
  const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma'] });
  const dns = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
  const proxy = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
  const kuma = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;
  const pve = (): LabSim => lab.current.sims.get('pve') as LabSim;
  return {
    lab,
    env: (): Record<string, string> => ({ ...lab.current.env }),
    dns, proxy, kuma, pve,
    hostFor: (domain: string) => proxy().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain)),
    monitorNamed: (name: string) => [...kuma().state.monitors.values()].find((m) => m.name === name),
    /** Every request that changes something, across the HTTP simulators, and Kuma's changing events. */
    mutations(): string[] {
      const http = [dns(), proxy(), pve()].flatMap((s) => s.requests
        .filter((r) => (r.method !== 'GET' && !/\/(user\/login|tokens|access)/.test(r.path)) && !r.path.endsWith('/records/get') && !r.path.endsWith('/zones/list'))
        .map((r) => `${r.method} ${r.path}`));
      const events = kuma().events.filter((e) => ['add', 'editMonitor', 'deleteMonitor', 'pauseMonitor', 'resumeMonitor'].includes(e.event)).map((e) => `kuma ${e.event}`);
      return [...http, ...events];
    },
  };
}
