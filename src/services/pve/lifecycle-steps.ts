/**
 * @module services/pve/lifecycle-steps
 * Steps several lifecycle operations take: a config change that sends only the keys
 * that change something, with the `digest` it read (a concurrent change is refused by
 * PVE, and said so in one line, not overwritten), and starting a new guest after it was made.
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

/** Keys PVE treats as 0 when they are not set. */
const ZERO_WHEN_UNSET = new Set(['onboot', 'protection']);

/** A tag list in one form (`a;b`, `b,a` → `a;b`): PVE keeps tags unique and sorted. */
function tagSet(value: string): string {
  return [...new Set(value.split(/[;, ]+/).filter(Boolean))].sort().join(';');
}

/** Whether setting `key` to `wanted` would leave the config as it is (`current`: its value now). */
export function isUnchanged(key: string, current: unknown, wanted: unknown): boolean {
  const now = current === undefined || current === null ? (ZERO_WHEN_UNSET.has(key) ? '0' : '') : String(current);
  return key === 'tags' ? tagSet(now) === tagSet(String(wanted)) : now === String(wanted);
}

/** What `applyConfig` did: the config before, and the keys it sent (those that change something). */
export interface AppliedConfig {
  before: Record<string, unknown>;
  changed: Params;
}

/**
 * Reads the guest's config and sends the keys of `changes` that differ from it, with the
 * digest read; nothing at all when none differs, else a locked guest is refused first.
 */
export async function applyConfig(ctx: OpContext, client: PveClient, guest: GuestRef, changes: Params): Promise<AppliedConfig> {
  const before = await client.config(guest, ctx.signal);
  const changed: Params = Object.fromEntries(Object.entries(changes).filter(([key, value]) => value !== undefined && !isUnchanged(key, before[key], value)));
  if (Object.keys(changed).length === 0) return { before, changed };
  await refuseIfLocked(client, guest, before, ctx.signal);
  const digest = typeof before.digest === 'string' ? before.digest : '';
  ctx.progress(`changing the config of ${guestLabel(guest)}`);
  try {
    await explainLock(client, guest, () => updateConfig(client, guest, changed, digest, ctx.signal), ctx.signal);
  } catch (err) {
    if (isDigestRefusal(err)) throw digestError(guest);
    throw err;
  }
  return { before, changed };
}

/** Starts a guest just made and waits for it; the `TaskRun` part of the outcome. */
export async function startNew(ctx: OpContext, client: PveClient, guest: GuestRef): Promise<TaskRun> {
  const o = await runGuestTask(ctx, client, guest, 'start', true, () => client.power(guest, 'start', ctx.signal));
  return { upid: o.upid, waited: o.waited, exitstatus: o.exitstatus, durationMs: o.durationMs };
}
