/**
 * @module services/hub/check-findings/managed
 * Parts of an exposed app that are switched off: a proxy host homelab made for an app
 * that is disabled (the name no longer reaches the app), a monitor homelab made for an
 * app that is paused (nobody hears when it goes down). Only marked objects count: a host
 * or monitor someone switched off by hand, and did not get from homelab, is their choice.
 * `expose` and `apply` switch them back on (exposing an app means serving it); to keep one
 * off for a while (maintenance), leave this warning be or ignore its key in the watch.
 */
import { shellWord } from '../../../core/shell-word.js';
import { findingKey, type CheckFinding, type MonitorView, type ProxyHostView } from './types.js';

const orApply = (app: string): string => ` (or homelab apply, for an app in lab.yaml; homelab expose ${app} … does it too)`;

/** Disabled proxy hosts that carry homelab's marker for an app. */
export function disabledManagedHosts(hosts: readonly ProxyHostView[]): CheckFinding[] {
  return hosts.filter((h) => h.app && !h.enabled).map((h) => {
    const domain = h.domains[0] ?? `#${h.id}`;
    return {
      key: findingKey('managed-host-disabled', domain), kind: 'managed-host-disabled' as const, severity: 'warning' as const, subject: domain,
      message: `${domain} is exposed by homelab for app ${h.app ?? ''}, but its proxy host is disabled`,
      evidence: [{ service: 'proxy', says: `proxy host #${h.id} (${h.domains.join(', ')}) is disabled; it carries homelab's marker for app ${h.app ?? ''}` }],
      fix: `homelab proxy enable ${shellWord(h.domains[0] ?? String(h.id))}${orApply(h.app ?? '')}`,
    };
  });
}

/** Paused monitors that carry homelab's marker for an app. */
export function pausedManagedMonitors(monitors: readonly MonitorView[]): CheckFinding[] {
  return monitors.filter((m) => m.app && !m.active).map((m) => ({
    key: findingKey('managed-monitor-paused', m.id ?? m.name), kind: 'managed-monitor-paused' as const, severity: 'warning' as const, subject: m.name,
    message: `Kuma monitor ${m.name} of app ${m.app ?? ''} is paused: nobody hears when the app goes down`,
    evidence: [{ service: 'kuma', says: `monitor ${m.name}${m.id === null ? '' : ` (#${m.id})`} is paused; it carries homelab's marker for app ${m.app ?? ''}` }],
    fix: `homelab kuma resume ${m.id ?? shellWord(m.name)}${orApply(m.app ?? '')}`,
  }));
}
