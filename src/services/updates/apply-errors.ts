/**
 * @module services/updates/apply-errors
 * What `updates apply` says when it fails after it changed something: a snapshot taken
 * and left behind is named with the rollback that restores it, and an upgrade cancelled,
 * timed out or cut off while it ran says the target may be half-upgraded.
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

/** The error for an upgrade that exited non-zero: its status, its last lines, the rollback or the root hint. */
export function failedUpgrade(targetName: string, manager: string, status: string, snapshot: TakenSnapshot | null, tail: readonly string[]): OperationError {
  const details = detailLines(tail, 8);
  const hints = [rootHint(details), snapshot ? rollbackHint(snapshot) : undefined].filter(Boolean);
  return new OperationError(`${targetName}: ${manager} upgrade exited with ${status}`, hints.length ? hints.join('; ') : undefined, details);
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
