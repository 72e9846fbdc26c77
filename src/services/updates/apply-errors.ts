/**
 * @module services/updates/apply-errors
 * What `updates apply` says when it fails after it changed something: a snapshot taken
 * and left behind is named with the rollback that restores it, an upgrade cancelled,
 * timed out or cut off while it ran says the target may be half-upgraded, and one that
 * never started says nothing was upgraded.
 */
import { ConfigError, HomelabError, OperationError, toHomelabError, UsageError } from '../../core/errors.js';
import { detailLines, rootHint } from './output-lines.js';

/** A snapshot `updates apply` took. */
export interface TakenSnapshot {
  vmid: number;
  name: string;
  upid: string;
}

/** The hint naming a snapshot left behind and the command that rolls the guest back to it. */
export function rollbackHint(snapshot: TakenSnapshot): string {
  return `snapshot ${snapshot.name} of guest ${snapshot.vmid} holds the state from before: homelab pve rollback ${snapshot.vmid} ${snapshot.name}`;
}

/**
 * The error for an upgrade that did not end with an exit status (cancelled, timed out, the
 * connection dropped): the target may be half-upgraded; its exit code is the cause's.
 */
export function interruptedUpgrade(targetName: string, err: unknown, snapshot: TakenSnapshot | null, tail: readonly string[]): HomelabError {
  const e = toHomelabError(err);
  const cause = e.message === 'cancelled' || e.message === 'interrupted' ? `${targetName}: the upgrade was cancelled while it ran` : e.message;
  return new OperationError(`${cause}; ${targetName} may be half-upgraded`,
    snapshot ? rollbackHint(snapshot) : `finish it on ${targetName} by hand (apt: dpkg --configure -a), then homelab updates check --target ${targetName}`,
    detailLines(tail, 8), undefined, e.exitCode);
}

/** The error for an upgrade that exited non-zero: its status, its last lines, the rollback or the root hint (`user` not root). */
export function failedUpgrade(targetName: string, manager: string, status: string, snapshot: TakenSnapshot | null, tail: readonly string[], user: string): OperationError {
  const details = detailLines(tail, 8);
  const hints = [rootHint(details, user), snapshot ? rollbackHint(snapshot) : undefined].filter(Boolean);
  return new OperationError(`${targetName}: ${manager} upgrade exited with ${status}`, hints.length ? hints.join('; ') : undefined, details);
}

/**
 * The error for an upgrade that never started (the connection for it failed, or was gone):
 * nothing was upgraded; a snapshot taken first is named, as left behind. Its exit code is the cause's.
 */
export function upgradeNotStarted(targetName: string, err: unknown, snapshot: TakenSnapshot | null): HomelabError {
  const e = toHomelabError(err);
  const left = snapshot ? `snapshot ${snapshot.name} of guest ${snapshot.vmid} was taken first and is left as it is` : undefined;
  return new OperationError(`${e.message}; nothing was upgraded on ${targetName}`, [e.hint, left].filter(Boolean).join('; ') || undefined,
    e instanceof OperationError ? e.details : undefined, undefined, e.exitCode);
}

/**
 * The error for the check after a successful upgrade cancelled (Ctrl-C): the upgrade is done,
 * what is still pending is not known; a snapshot taken first is named with its rollback.
 */
export function recheckCancelled(targetName: string, manager: string, err: unknown, snapshot: TakenSnapshot | null): HomelabError {
  const e = toHomelabError(err);
  return new OperationError(`${targetName}: upgraded with ${manager}; the check after it was cancelled`,
    [`homelab updates check --target ${targetName} shows what is still pending`, snapshot ? rollbackHint(snapshot) : undefined].filter(Boolean).join('; '),
    undefined, undefined, e.exitCode);
}

/**
 * A failed `pve.snapshot` of a target's guest: a usage error there (no guest with that vmid)
 * comes from config.yaml's `vmid:`, so it is a config error (exit 3) naming the entry.
 */
export function snapshotFailed(targetName: string, vmid: number, configPath: string, err: unknown): unknown {
  if (err instanceof UsageError) {
    return new ConfigError(`ssh.targets entry ${targetName}: vmid ${vmid}: ${err.message}`,
      `fix vmid: of ${targetName} under ssh.targets in ${configPath} (homelab pve list shows the guests); nothing was upgraded`);
  }
  return err;
}
