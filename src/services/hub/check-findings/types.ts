/**
 * @module services/hub/check-findings/types
 * What `homelab check` reasons over and what it finds. The lab is plain data gathered
 * from the services' read operations (`LabView`); each finder is a pure function from
 * the parts it needs to findings, so the rules are tested without any service. A part
 * is `undefined` when its service is not configured or failed: finders that need it
 * are not run, and the result says their findings are unknown.
 */

/** Severity of a finding: any `error` makes `check` exit 1. */
export type Severity = 'error' | 'warning';

/** Every kind of finding, one per rule. */
export const FINDING_KINDS = [
  'guest-without-dns',
  'stale-record',
  'duplicate-address',
  'proxy-to-stopped-guest',
  'proxy-to-missing-guest',
  'proxy-target-not-answering',
  'proxy-without-monitor',
  'monitor-without-proxy',
  'managed-host-disabled',
  'managed-monitor-paused',
  'certificate-expiring',
  'proxy-certificate-deleted',
  'guest-not-backed-up',
  'backup-too-old',
  'beszel-down-guest-running',
  'beszel-up-guest-stopped',
] as const;

/** One kind of finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What one service says about the subject of a finding. */
export interface Evidence {
  /** `pve`, `dns`, `proxy`, `kuma`, `pbs`, `beszel`, `probe`. */
  service: string;
  says: string;
}

/** One inconsistency. */
export interface CheckFinding {
  /** Stable across runs: `<kind>:<subject>` (the watch check alerts on new keys). */
  key: string;
  kind: FindingKind;
  severity: Severity;
  /** What it is about: a name, a VMID, an address. */
  subject: string;
  /** One line for the owner. */
  message: string;
  /** What each service involved says. */
  evidence: Evidence[];
  /** The command that fixes it (or, where homelab has none, what to do). */
  fix: string;
}

/** A guest as PVE reports it, with its config's facts. */
export interface GuestView {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  status: string;
  template: boolean;
  onboot: boolean;
  /** Static addresses from the config, plus any the guest reported (`pve ip`), in canonical spelling (core/ip-address). */
  addresses: string[];
  /** Of `addresses`, those only the running guest reported (DHCP, `pve ip`), not in its config. */
  learned?: string[];
}

/**
 * Who manages an object: homelab for an app (its marker), lab.yaml's `records:` (the
 * record marker), or nobody (absent / null). A fix for a managed object goes through
 * homelab (`unexpose`, lab.yaml and `apply`), never by hand: a hand delete leaves the
 * app half-removed, and the next apply re-creates a lab.yaml record.
 */
export interface Managed {
  /** The app whose marker the object carries. */
  app?: string | null;
  /** A record lab.yaml's `records:` manages. */
  labRecord?: boolean;
}

/** A DNS record of the zone (A, AAAA and CNAME matter here). */
export interface RecordView extends Managed {
  /** Fully qualified, lower case. */
  name: string;
  type: string;
  value: string;
  disabled: boolean;
}

/** An NPM proxy host. */
export interface ProxyHostView extends Managed {
  id: number;
  domains: string[];
  forwardScheme: string;
  forwardHost: string;
  forwardPort: number;
  enabled: boolean;
  /** Its certificate (null: none); the options below are absent when not read. */
  certificate?: { id: number; daysLeft: number | null } | null;
  /** The certificate it still names though NPM deleted it (`certificate` is null then); absent for any other host. */
  deletedCertificateId?: number;
  sslForced?: boolean;
  websockets?: boolean;
  blockExploits?: boolean;
}

/** An Uptime Kuma monitor. */
export interface MonitorView extends Managed {
  id: number | null;
  name: string;
  type: string;
  /** The URL of HTTP monitors. */
  url: string | null;
  /** The host of ping, port and DNS monitors. */
  hostname: string | null;
  active: boolean;
}

/** An NPM certificate. */
export interface CertificateView {
  id: number;
  name: string;
  provider: string;
  domains: string[];
  expiresOn: string | null;
  daysLeft: number | null;
  /** Domains of the proxy hosts that use it. */
  usedBy: string[];
  /** The redirection hosts, 404 hosts and streams that use it, as `proxy certs` names them: `redirection host a.home.lan`, `404 host b.home.lan`, `stream 8443`. */
  otherUses: string[];
  /** Host types the NPM account may not list (`streams`): their uses are unknown, so it is never called unused. */
  unknownUses?: string[];
}

/** Backups of every guest: jobs (PVE) and the newest backup anywhere (PVE storages and PBS groups). */
export interface BackupView {
  /** VMIDs no enabled PVE backup job includes. */
  notCovered: number[];
  /** VMID → the disabled jobs that include it, for those of `notCovered` only disabled jobs include. */
  disabledJobs?: Map<number, string[]>;
  /** VMIDs PVE already knows to have a backup within `maxAgeHours`. */
  recent: Set<number>;
  /** VMID → newest backup (Unix seconds) and where it is. */
  newest: Map<number, { time: number; where: string }>;
  /** Age in hours past which a backup is too old. */
  maxAgeHours: number;
}

/** A system Beszel watches. */
export interface SystemView {
  name: string;
  host: string;
  status: string;
}

/** Everything `check` knows about the lab; a part is undefined when its service was skipped or failed. */
export interface LabView {
  /** The DNS zone the names live in (`home.lan`). */
  zone: string | undefined;
  guests: GuestView[] | undefined;
  /** Addresses (and names) of hosts that are not guests: PVE nodes, configured services and SSH targets, gateways, `check.hosts`. */
  knownHosts: Map<string, string> | undefined;
  records: RecordView[] | undefined;
  proxyHosts: ProxyHostView[] | undefined;
  monitors: MonitorView[] | undefined;
  certificates: CertificateView[] | undefined;
  backups: BackupView | undefined;
  systems: SystemView[] | undefined;
  /** `host:port` → whether it answered; undefined unless `--probe`. */
  probes: Map<string, boolean> | undefined;
  /** `host:port` → where it was probed instead (`check.probe_map`). */
  probeVia?: Map<string, string> | undefined;
  /** Only Kuma's active monitors were read (`kuma status`: an API key, no login): paused ones are not among `monitors`. */
  monitorsActiveOnly?: boolean | undefined;
  /** How exposed names reach the proxy (`services.proxy`), for the options of an `expose` fix. */
  proxyNames?: { name: string | null; address: string | null } | undefined;
}

/** Thresholds of the rules. */
export interface CheckThresholds {
  /** Certificates expiring within this many days are a warning (default 14). */
  certWarnDays: number;
  /** Within this many days (or expired) an error (default 3). */
  certErrorDays: number;
}

/** Builds a finding's key from its kind and subject. */
export function findingKey(kind: FindingKind, subject: string | number): string {
  return `${kind}:${String(subject)}`;
}

/** A guest's label as other commands print it: `CT 107 (forgejo)` (core/guest-label). */
export { guestLabel } from '../../../core/guest-label.js';

/** Items as an English list: `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `both` for two, `all` for more: `a and b are both …`, `a, b and c are all …`. */
export function bothOrAll(count: number): string {
  return count === 2 ? 'both' : 'all';
}

/** `name` relative to `zone` (`git.home.lan` → `git`), or itself when outside it. */
export function relative(name: string, zone: string | undefined): string {
  if (!zone) return name;
  if (name === zone) return '@';
  return name.endsWith(`.${zone}`) ? name.slice(0, -zone.length - 1) : name;
}

/**
 * The fix for an object homelab manages (see `Managed`), or null when it is nobody's and a
 * hand fix is right: for an app's object, unexpose it or change it in lab.yaml; for a
 * lab.yaml record, change its entry; then `homelab apply`.
 */
export function managedFix(o: Managed, what: string): string | null {
  if (o.app) return `${what} is homelab's for app ${o.app}: homelab unexpose ${o.app} (or change apps.${o.app} in lab.yaml, then homelab apply)`;
  if (o.labRecord) return `${what} is in lab.yaml's records: correct or remove its entry there, then homelab apply`;
  return null;
}
