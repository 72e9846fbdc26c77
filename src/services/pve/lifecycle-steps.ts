/**
 * @module services/pve/lifecycle-steps
 * Steps several lifecycle operations take: a config change that sends the `digest` it
 * read (a concurrent change is refused by PVE, and said so in one line, not
 * overwritten), and starting a new guest after it was made.
 */
import { HomelabError, OperationError } from '../../core/errors.js';
import type { Params } from '../../core/http/index.js';
import type { OpContext } from '../../core/operation.js';
import { updateConfig } from './api-lifecycle.js';
import type { PveClient } from './client.js';
import { explainLock, guestLabel, refuseIfLocked } from './guest-lock.js';
import type { GuestRef } from './schemas.js';
import { runGuestTask, type TaskRun } from './task-outcome.js';

const DIGEST_REFUSED = /checksum missmatch|checksum mismatch|detected modified configuration/;

/** Whether an error is PVE refusing a change because the config changed since it was read. */
export function isDigestRefusal(err: unknown): boolean {
  return err instanceof HomelabError && DIGEST_REFUSED.test(err.message);
}

/** The one line for a digest refusal. */
export function digestError(guest: GuestRef): OperationError {
  return new OperationError(
    `${guestLabel(guest)} was changed by someone else since it was read (config digest differs); nothing was changed`,
    'look at it again (homelab pve config) and repeat the command',
  );
}

/**
 * Reads the guest's config, refuses when it is locked, and sends `changes` with the
 * digest read; returns the config as it was before the change.
 */
export async function applyConfig(ctx: OpContext, client: PveClient, guest: GuestRef, changes: Params): Promise<Record<string, unknown>> {
  const before = await client.config(guest, ctx.signal);
  await refuseIfLocked(client, guest, before, ctx.signal);
  const digest = typeof before.digest === 'string' ? before.digest : '';
  ctx.progress(`changing the config of ${guestLabel(guest)}`);
  try {
    await explainLock(client, guest, () => updateConfig(client, guest, changes, digest, ctx.signal), ctx.signal);
  } catch (err) {
    if (isDigestRefusal(err)) throw digestError(guest);
    throw err;
  }
  return before;
}

/** Starts a guest just made and waits for it; the `TaskRun` part of the outcome. */
export async function startNew(ctx: OpContext, client: PveClient, guest: GuestRef): Promise<TaskRun> {
  const o = await runGuestTask(ctx, client, guest, 'start', true, () => client.power(guest, 'start', ctx.signal));
  return { upid: o.upid, waited: o.waited, exitstatus: o.exitstatus, durationMs: o.durationMs };
}
