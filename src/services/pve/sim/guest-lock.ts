/**
 * @module services/pve/sim/guest-lock
 * Guest config locks, protection and digests as PVE's guest config code has them:
 * - `lock: <kind>` is a config key (`backup`, `clone`, `create`, `migrate`, `disk`,
 *   `snapshot`, …) held while a task works on the guest; another change meanwhile is
 *   refused by `check_lock` with `VM is locked (backup)` (`CT is locked (…)` for
 *   containers), a 500 when the API handler checks, a failed task when the worker does;
 * - `protection: 1` forbids removing the guest or its disks;
 * - `digest` (SHA-1 of the config file, see `configDigest`) changes with every config
 *   change; a change sent with another digest is refused by `assert_if_modified`.
 * `holdLock` ties a lock to a simulated task: taken when the worker starts, released
 * when it ends, whatever the outcome.
 */
import { die } from './errors.js';
import { configDigest } from './guest-config.js';
import { lockError } from './guest-lookup.js';
import type { SimGuest } from './state.js';
import type { TaskSpec } from './tasks.js';

/** Lock kinds PVE writes into guest configs (`lock` in the schema's enum). */
export type LockKind = 'backup' | 'clone' | 'create' | 'disk' | 'fstrim' | 'migrate' | 'mounted' | 'rollback' | 'snapshot' | 'snapshot-delete' | 'suspended' | 'suspending';

/** `check_lock` in a handler: throws PVE's 500 (`VM is locked (backup)`) when the guest is locked. */
export function assertUnlocked(g: SimGuest, skiplock = false): void {
  const err = skiplock ? undefined : lockError(g);
  if (err) throw die(err);
}

/**
 * The task hooks that hold `kind` on the guest(s) `targets` returns while the task runs:
 * the precheck fails the task with `VM is locked (…)` when one is already locked, `begin`
 * takes the lock, `end` releases it (only if it is still ours). Compose with a spec's own
 * hooks by spreading this first and wrapping, or use `withLock`.
 */
export function holdLock(targets: () => (SimGuest | undefined)[], kind: LockKind): Required<Pick<TaskSpec, 'precheck' | 'begin' | 'end'>> {
  return {
    precheck: () => {
      for (const g of targets()) {
        const err = g ? lockError(g) : undefined;
        if (err) return err;
      }
      return undefined;
    },
    begin: () => { for (const g of targets()) if (g) g.lock = kind; },
    end: () => { for (const g of targets()) if (g?.lock === kind) delete g.lock; },
  };
}

/**
 * A task spec whose worker holds `kind` on `targets` for its whole run; the spec's own
 * `precheck`, `begin` and `end` run after the lock check, after taking the lock and
 * before releasing it.
 */
export function withLock(spec: TaskSpec, targets: () => (SimGuest | undefined)[], kind: LockKind): TaskSpec {
  const lock = holdLock(targets, kind);
  return {
    ...spec,
    precheck: () => lock.precheck() ?? spec.precheck?.(),
    begin: () => { lock.begin(); spec.begin?.(); },
    end: () => { spec.end?.(); lock.end(); },
  };
}

/** Whether the guest has `protection: 1`. */
export function isProtected(g: SimGuest): boolean {
  return String(g.config.protection ?? '0') === '1';
}

/** PVE's refusal to remove a protected guest (`can't remove VM 201 - protection mode enabled`). */
export function protectionError(g: SimGuest): string | undefined {
  return isProtected(g) ? `can't remove ${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} - protection mode enabled` : undefined;
}

/**
 * A change sent with a digest other than the config's current one is refused (500):
 * qemu-server's own check (`checksum missmatch (file change by other user?)`, spelling
 * as in the source), pve-container's `assert_if_modified`.
 */
export function assertDigest(g: SimGuest, digest: string | undefined): void {
  if (digest === undefined || digest === '' || digest === configDigest(g)) return;
  throw die(g.type === 'qemu' ? 'checksum missmatch (file change by other user?)' : 'detected modified configuration - file changed by other user? Try again.');
}
