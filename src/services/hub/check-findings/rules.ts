/**
 * @module services/hub/check-findings/rules
 * The rules of `homelab check`, each with the parts of the lab it needs. `findAll` runs
 * every rule whose parts are known and names the others, so a skipped or failed service
 * turns its rules' findings into "unknown", never into "no findings".
 */
import { duplicateGuestAddresses, duplicateNames, guestsWithoutDns, staleRecords } from './addresses.js';
import { backupFindings } from './backups.js';
import { expiringCertificates } from './certificates.js';
import { hostsWithDeletedCertificate } from './deleted-certificates.js';
import { disabledManagedHosts, pausedManagedMonitors } from './managed.js';
import { monitorWithoutProxy, proxyWithoutMonitor } from './monitors.js';
import { proxyTargets } from './proxy.js';
import { systemFindings } from './systems.js';
import type { CheckFinding, CheckThresholds, FindingKind, LabView, ProxyHostView } from './types.js';

/** A part of the lab view. */
export type Part = Exclude<keyof LabView, 'probes' | 'probeVia' | 'proxyNames' | 'monitorsActiveOnly'>;

/** One rule: the kinds it finds, the parts it needs, and the finder. */
interface Rule {
  kinds: readonly FindingKind[];
  needs: readonly Part[];
  /** It judges paused monitors: unknown when only the active ones were read (`monitorsActiveOnly`). */
  needsPaused?: true;
  find(view: Required<{ [K in Part]: NonNullable<LabView[K]> }> & Pick<LabView, 'probes' | 'probeVia' | 'proxyNames' | 'monitorsActiveOnly'>, t: CheckThresholds, now: number, partial: LabView): CheckFinding[];
}

const RULES: readonly Rule[] = [
  { kinds: ['guest-without-dns'], needs: ['guests', 'records', 'zone'], find: (v) => guestsWithoutDns(v.guests, v.records, v.zone) },
  { kinds: ['stale-record'], needs: ['guests', 'knownHosts', 'records', 'zone'], find: (v) => staleRecords(v.guests, v.knownHosts, v.records, v.zone) },
  { kinds: ['duplicate-address'], needs: ['guests'], find: (v) => duplicateGuestAddresses(v.guests) },
  { kinds: ['duplicate-address'], needs: ['records', 'zone'], find: (v, _t, _n, p) => duplicateNames(v.records, v.zone, p.guests, p.proxyNames) },
  {
    kinds: ['proxy-to-stopped-guest', 'proxy-to-missing-guest', 'proxy-target-not-answering'], needs: ['proxyHosts', 'guests', 'knownHosts'],
    find: (v, _t, _n, p) => proxyTargets(v.proxyHosts, v.guests, v.knownHosts, p.records, p.zone, v.probes, v.probeVia, { monitors: p.monitors, proxy: p.proxyNames }),
  },
  {
    kinds: ['proxy-without-monitor', 'monitor-without-proxy'], needs: ['proxyHosts', 'monitors', 'zone'],
    find: (v, _t, _n, p) => {
      const certified = new Set((p.certificates ?? []).flatMap((c) => c.usedBy));
      // A host still naming a deleted certificate with HTTPS forced sends http:// to https://: its monitor checks https.
      const https = (h: ProxyHostView): boolean => h.domains.some((d) => certified.has(d)) || (h.deletedCertificateId !== undefined && h.sslForced === true);
      return [
        ...proxyWithoutMonitor(v.proxyHosts, v.monitors, v.zone, https, { records: p.records, proxy: p.proxyNames }, v.monitorsActiveOnly === true),
        ...monitorWithoutProxy(v.monitors, v.proxyHosts, v.zone),
      ];
    },
  },
  { kinds: ['managed-host-disabled'], needs: ['proxyHosts'], find: (v) => disabledManagedHosts(v.proxyHosts) },
  { kinds: ['managed-monitor-paused'], needs: ['monitors'], needsPaused: true, find: (v) => pausedManagedMonitors(v.monitors) },
  { kinds: ['certificate-expiring'], needs: ['certificates'], find: (v, t) => expiringCertificates(v.certificates, t) },
  {
    kinds: ['proxy-certificate-deleted'], needs: ['proxyHosts'],
    find: (v, _t, _n, p) => hostsWithDeletedCertificate(v.proxyHosts, p.certificates, { zone: p.zone, records: p.records, monitors: p.monitors, proxy: p.proxyNames }),
  },
  { kinds: ['guest-not-backed-up', 'backup-too-old'], needs: ['guests', 'backups'], find: (v, _t, now) => backupFindings(v.guests, v.backups, now) },
  { kinds: ['beszel-down-guest-running', 'beszel-up-guest-stopped'], needs: ['systems', 'guests'], find: (v) => systemFindings(v.systems, v.guests) },
];

/** Why a rule on paused monitors is unknown when Kuma was read with its API key only. */
export const PAUSED_UNSEEN = 'kuma read with KUMA_API_KEY only (kuma status): paused monitors need KUMA_USERNAME and KUMA_PASSWORD in kuma/credentials';

/** What `findAll` returns. */
export interface FindResult {
  findings: CheckFinding[];
  /** Rules that could not run, with the parts they lacked (and why, when the part's service was read but not all of it). */
  unknown: { kinds: FindingKind[]; missing: Part[]; reason?: string }[];
}

/** Runs every rule whose parts are known; findings errors first, then by kind and subject. */
export function findAll(view: LabView, t: CheckThresholds, nowSeconds: number): FindResult {
  const findings: CheckFinding[] = [];
  const unknown: FindResult['unknown'] = [];
  for (const rule of RULES) {
    const missing = rule.needs.filter((p) => view[p] === undefined);
    if (missing.length) {
      unknown.push({ kinds: [...rule.kinds], missing });
      continue;
    }
    if (rule.needsPaused && view.monitorsActiveOnly) {
      unknown.push({ kinds: [...rule.kinds], missing: ['monitors'], reason: PAUSED_UNSEEN });
      continue;
    }
    findings.push(...rule.find(view as Parameters<Rule['find']>[0], t, nowSeconds, view));
  }
  const seen = new Set<string>();
  const unique = findings.filter((f) => (seen.has(f.key) ? false : (seen.add(f.key), true)));
  const order = (k: FindingKind): number => RULES.findIndex((r) => r.kinds.includes(k));
  unique.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || order(a.kind) - order(b.kind) || a.subject.localeCompare(b.subject));
  return { findings: unique, unknown };
}
