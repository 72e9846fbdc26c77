/**
 * @module services/hub/desired-apps
 * Which of the objects homelab manages for apps lab.yaml no longer wants (pure). An object
 * is homelab's for an app when it carries the app's marker (docs/markers.md). Every marked
 * object of an app that is not in the file is unwanted; so is any marked object of a kept
 * app that its plan does not use: a DNS record of the other type (the app moved from CNAME
 * to A, or to `dns: none`), a second proxy host, a monitor when `monitor: false`. The unwanted objects become
 * `danger` delete steps (the same steps `unexpose` makes, each re-checking the marker, each
 * with an undo that re-creates it); the rest of the live state is what the apps' plans
 * (`planApp`) are built against.
 */
import type { PlanStep } from '../../orchestration/plan.js';
import type { LiveHost, LiveMonitor, LiveParts, LiveRecord, LiveState } from './expose-live.js';
import { wantedRecord, type AppSpec } from './expose-plan.js';
import type { ExposeSettings } from './expose-settings.js';
import { unexposeSteps, type HostDetail } from './unexpose.js';

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

/** The live objects homelab manages (by marker), service by service; a service not read holds none. */
export interface MarkedLive {
  zone: string;
  records: LiveRecord[];
  hosts: LiveHost[];
  otherHosts: LiveState['otherHosts'];
  monitors: LiveMonitor[];
}

/** The unwanted objects of one app, found among its marked objects. */
function unwantedOf(app: string, spec: AppSpec | undefined, live: MarkedLive, settings: ExposeSettings | null): Omit<MarkedLive, 'zone' | 'otherHosts'> {
  const records = live.records.filter((r) => r.app === app);
  const hosts = live.hosts.filter((h) => h.app === app);
  const monitors = live.monitors.filter((m) => m.app === app);
  if (!spec || !settings) return { records, hosts, monitors };
  const fqdn = `${app}.${live.zone}`;
  const want = wantedRecord(spec, settings);
  const keptRecord = want ? records.find((r) => bare(r.name) === fqdn && r.type === want.type && bare(r.value) === bare(want.value)) : undefined;
  // planApp uses the first proxy host at the name, and the app's first HTTP monitor.
  const first = live.hosts.find((h) => h.domains.some((d) => bare(d) === fqdn));
  const keptHost = first?.app === app ? first : undefined;
  const keptMonitor = spec.monitor ? monitors.find((m) => m.type === 'http') : undefined;
  return {
    records: records.filter((r) => r !== keptRecord),
    hosts: hosts.filter((h) => h !== keptHost),
    monitors: monitors.filter((m) => m !== keptMonitor),
  };
}

/** What the apps of lab.yaml mean for the objects homelab already manages. */
export interface AppRemovals {
  /** Delete steps, app by app (monitor, proxy host, record), keys `<app>/remove-…`. */
  steps: PlanStep[];
  /** The live state without the objects deleted: what the kept apps' plans are built against. */
  rest: MarkedLive;
  /** Apps that lose every object (not in the file). */
  removedApps: string[];
}

/**
 * The delete steps for the marked objects the file does not want, and the live state left.
 * `details` (`readHostDetails`) tell what a re-created proxy host would lose, for the undos.
 */
export function planAppRemovals(apps: readonly AppSpec[], live: MarkedLive, settings: ExposeSettings | null, details?: ReadonlyMap<number, HostDetail>): AppRemovals {
  const wanted = new Map(apps.map((a) => [a.name, a]));
  const marked = new Set<string>();
  for (const list of [live.records, live.hosts, live.monitors]) for (const o of list) if (o.app) marked.add(o.app);
  const steps: PlanStep[] = [];
  const gone = { records: new Set<LiveRecord>(), hosts: new Set<LiveHost>(), monitors: new Set<LiveMonitor>() };
  for (const app of [...marked].sort()) {
    const unwanted = unwantedOf(app, wanted.get(app), live, settings);
    unwanted.records.forEach((r) => gone.records.add(r));
    unwanted.hosts.forEach((h) => gone.hosts.add(h));
    unwanted.monitors.forEach((m) => gone.monitors.add(m));
    const parts: LiveParts = { zone: live.zone, ...unwanted, otherHosts: [], failures: [] };
    steps.push(...unexposeSteps(app, parts, details).deletes.map((s) => ({ ...s, key: `${app}/remove-${s.key}` })));
  }
  return {
    steps,
    rest: {
      zone: live.zone,
      records: live.records.filter((r) => !gone.records.has(r)),
      hosts: live.hosts.filter((h) => !gone.hosts.has(h)),
      otherHosts: live.otherHosts,
      monitors: live.monitors.filter((m) => !gone.monitors.has(m)),
    },
    removedApps: [...marked].filter((a) => !wanted.has(a)).sort(),
  };
}
