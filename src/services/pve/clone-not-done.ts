/**
 * @module services/pve/clone-not-done
 * What a `pve clone` or `pve create ct` run had still to do when it stopped: a clone's
 * cloud-init settings (`--ip`, `--gw`, `--ssh-key`, `--user`) and `--start` are applied only
 * after the clone's (or the creation's) task, so a wait cut off (Ctrl-C, SIGTERM, the wait's
 * time limit, a lost answer) leaves a guest with the template's cloud-init, never started.
 * The error it stops with names them, and how to do them by hand once the guest is there.
 */
import { CancelledError, OperationError, toHomelabError, type HomelabError } from '../../core/errors.js';
import { UnansweredError } from '../../core/http/unanswered.js';
import type { Params } from '../../core/http/index.js';

/** The steps of a clone (or create) run after its task. */
export interface CloneRest {
  /** What the task makes: a clone (`pve clone`, the default) or a new container (`pve create ct`). */
  made?: 'clone' | 'container';
  newid: number;
  /** The node the clone is on (where `qm set` runs). */
  node: string;
  /** The cloud-init keys to set (cloud-init `cloudInitChanges`; empty when none). */
  cloudInit: Params;
  /** `--start` was given. */
  start: boolean;
}

/** A cancelled run's error naming what it left undone (exit 1, as every cancelled run). */
class CancelledLeavingError extends CancelledError {
  override readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/**
 * Where a clone run stopped: at its clone request (`sent`: no task id yet), while waiting for
 * its task (`task`: started), or setting the clone's cloud-init (`cloud-init`: the clone is made).
 */
export type CloneStage = 'sent' | 'task' | 'cloud-init';

/**
 * Whether a clone may be there (or coming) after `e` at `stage`: not when its task failed
 * or the request was refused or never reached PVE; yes when the wait was cut off or the
 * request's answer was lost.
 */
function mayBeCloned(e: HomelabError, stage: CloneStage): boolean {
  if (stage === 'cloud-init') return true;
  if (stage === 'task') return !(e instanceof OperationError);
  return e instanceof UnansweredError || (e instanceof CancelledError && e.message.includes('may have been applied'));
}

/**
 * The error a clone (or create) run stops with when there may be a guest without what was to
 * follow its task: `err` with the cloud-init settings and `--start` that were not applied, and how to
 * apply them by hand. Any other error (no clone is coming), or nothing left to do, is
 * returned as it is.
 */
export function cloneStopped(err: unknown, rest: CloneRest, stage: CloneStage): unknown {
  const hasCloudInit = Object.keys(rest.cloudInit).length > 0;
  if (!hasCloudInit && !rest.start) return err;
  const e = toHomelabError(err);
  if (!mayBeCloned(e, stage)) return err;
  const notDone = [hasCloudInit ? `cloud-init (${cloudInitWords(rest.cloudInit)})` : undefined, rest.start ? '--start' : undefined].filter(Boolean).join(' and ');
  const message = stage !== 'cloud-init'
    ? `${e.message}; not applied to ${rest.newid}: ${notDone}`
    : `${e.message}; ${rest.newid} was cloned${hasCloudInit ? `, its cloud-init may not be set (${cloudInitWords(rest.cloudInit)})` : ''}${rest.start ? ' and it was not started' : ''}`;
  const once = rest.made === 'container' ? 'once the container is created, ' : 'once the clone is done, ';
  const hint = [e.hint, `${stage !== 'cloud-init' ? once : ''}${byHand(rest)}`].filter(Boolean).join('; ');
  return e instanceof CancelledError
    ? new CancelledLeavingError(message, hint)
    : new OperationError(message, hint, e instanceof OperationError ? e.details : undefined, undefined, e.exitCode);
}

/** `ip=10.5.0.30/24,gw=10.5.0.254, user debian, 1 SSH key` (never the keys themselves). */
function cloudInitWords(ci: Params): string {
  const keys = typeof ci.sshkeys === 'string' ? decodeURIComponent(ci.sshkeys).split('\n').filter((l) => l.trim()).length : 0;
  return [
    typeof ci.ipconfig0 === 'string' ? ci.ipconfig0 : undefined,
    typeof ci.ciuser === 'string' ? `user ${ci.ciuser}` : undefined,
    keys ? `${keys} SSH key${keys === 1 ? '' : 's'}` : undefined,
  ].filter(Boolean).join(', ');
}

/** How to finish by hand: `qm set` on the node (or the web UI), then `homelab pve start`. */
function byHand(rest: CloneRest): string {
  const ci = rest.cloudInit;
  const qm = [
    `qm set ${rest.newid}`,
    typeof ci.ipconfig0 === 'string' ? `--ipconfig0 ${ci.ipconfig0}` : undefined,
    typeof ci.ciuser === 'string' ? `--ciuser ${ci.ciuser}` : undefined,
    ci.sshkeys !== undefined ? '--sshkeys <your .pub file>' : undefined,
  ].filter(Boolean).join(' ');
  const steps = [
    Object.keys(ci).length ? `set its cloud-init with ${qm} on ${rest.node} (or in the Proxmox VE web UI: ${rest.newid} → Cloud-Init)` : undefined,
    rest.start ? `start it: homelab pve start ${rest.newid}` : undefined,
  ].filter(Boolean);
  return steps.join(', then ');
}
