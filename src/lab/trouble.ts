/**
 * @module lab/trouble
 * The deliberate faults of the lab (`lab/inventory`), which every simulator shows wherever
 * they would be visible: one guest stopped that should run, one backup group stale, one
 * certificate expiring, one monitor down, one system with a full disk, security updates
 * pending on one guest; and, for `homelab check`, one of each inconsistency between the
 * services (a guest without DNS, a destroyed guest's leftovers, two names on one address, two
 * guests on one address, a monitor without its proxy host, Beszel up on a stopped guest and
 * down on a running one, an app nobody watches whose backend does not answer and whose
 * certificate expired).
 */

/** The deliberate faults the lab shows everywhere they would be visible. */
export const trouble = {
  /** onboot=1 but stopped: PVE shows it stopped, Kuma's monitor for it is down, Beszel's system is down. */
  stoppedGuest: 201,
  /** PBS backup group older than the 26 h threshold. */
  staleBackupGuest: 106,
  /** NPM certificate expiring within a week. */
  expiringCertHost: 'git',
  /** Kuma monitor down (the app of the stopped guest). */
  downMonitorHost: 'media',
  /** Beszel system with a nearly full disk. */
  fullDiskSystem: 'pbs',
  /** SSH target with security updates pending. */
  securityUpdatesGuest: 107,
  /** Running, but its A record (and PTR) were deleted by mistake: `check` finds a guest without DNS. */
  guestWithoutDns: 200,
  /**
   * A guest destroyed last month whose traces stayed behind: its A record (stale: no guest has the
   * address), the proxy host of its app (forwarding to a guest that is gone), which no Kuma monitor watches.
   */
  destroyedGuest: { vmid: 108, name: 'bookstack', ip: '10.5.0.40', app: 'notes', port: 6875 },
  /** A second A record for dockge's address (a CNAME belongs there): two names, one address. */
  secondName: { name: 'photos', of: 106 },
  /** A Kuma monitor of a name no proxy host serves any more. */
  orphanMonitor: { name: 'grafana', host: 'grafana' },
  /** Stopped in PVE, but Beszel reports it up (Beszel's system at its address is another machine now). */
  beszelUpWhileStopped: 202,
  /** Running in PVE, but Beszel reports it down: its agent (an add-on) did not come back after an OS update. */
  beszelDownWhileRunning: 200,
  /** A clone of media that kept media's static address: two guests configured with one address. It has no DNS record. */
  sameAddress: { vmid: 203, as: 201 },
  /**
   * An app set up by hand on dockge, outside homelab: a proxy host forwarding to a port where nothing
   * answers (its compose stack is stopped), no Kuma monitor, and an uploaded certificate that expired.
   */
  handMadeApp: { host: 'paperless', of: 106, port: 8000, certDays: -9 },
} as const;
