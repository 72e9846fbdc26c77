/**
 * @module services/pve/sim/routes/guests
 * Reading guests: `GET /nodes/{node}/{qemu,lxc}`, `…/{vmid}/status/current`,
 * `…/{vmid}/config` (with `digest`, or a snapshot's config; the pending values of a
 * running VM unless `current=1`; `snapshot` and `current=1` together are a parameter
 * error) and `…/{vmid}/pending` (current and pending values, and the `digest`).
 */
import { bool, req, str, type RouteTable } from '../context.js';
import { die, paramError } from '../errors.js';
import { configDigest } from '../guest-config.js';
import type { GuestType } from '../guest-lookup.js';
import { guestOf } from './guest-of.js';
import { currentStatus, listEntry } from '../guest-view.js';
import { pendingEntries, withPending } from '../pending.js';
import { checkPrivs } from '../permissions.js';
import type { GuestConfig, SimGuest } from '../state.js';

/** The live config as `GET config` returns it (lock and parent are config keys too). */
export function liveConfig(g: SimGuest): GuestConfig {
  const cfg: GuestConfig = { ...g.config };
  if (g.parent) cfg.parent = g.parent;
  if (g.lock) cfg.lock = g.lock;
  return cfg;
}

/** A snapshot's config as `GET …/snapshot/{snapname}/config` returns it. */
export function snapshotConfig(g: SimGuest, snapname: string): GuestConfig {
  const s = g.snapshots.find((x) => x.name === snapname);
  if (!s) throw die(`snapshot '${snapname}' does not exist`);
  const cfg: GuestConfig = { ...s.config, snaptime: s.snaptime, description: s.description };
  if (s.parent) cfg.parent = s.parent;
  if (s.vmstate) cfg.vmstate = 1;
  return cfg;
}

function routes(type: GuestType): RouteTable {
  const base = `/nodes/{node}/${type}`;
  return {
    [`GET ${base}`]: (ctx) => {
      const node = req(ctx, 'node');
      const list = [...ctx.state.guests.values()]
        .filter((g) => g.type === type && g.node === node)
        // Guests the caller may not audit are left out, not refused.
        .filter((g) => checkPrivs(ctx.identity, `/vms/${g.vmid}`, ['VM.Audit'], false, true))
        .map((g) => listEntry(g, ctx.nowMs, bool(ctx, 'full')));
      return { data: list };
    },
    [`GET ${base}/{vmid}/status/current`]: (ctx) => ({ data: currentStatus(guestOf(ctx, type), ctx.nowMs) }),
    [`GET ${base}/{vmid}/config`]: (ctx) => {
      const g = guestOf(ctx, type);
      const snapname = str(ctx, 'snapshot');
      if (snapname && bool(ctx, 'current')) {
        const both = "cannot use 'snapshot' parameter with 'current'";
        throw paramError({ snapshot: both, current: both });
      }
      if (snapname) return { data: snapshotConfig(g, snapname) };
      const cfg = bool(ctx, 'current') ? liveConfig(g) : withPending(g, liveConfig(g));
      return { data: { ...cfg, digest: configDigest(g) } };
    },
    [`GET ${base}/{vmid}/pending`]: (ctx) => {
      const g = guestOf(ctx, type);
      return { data: pendingEntries(g, { ...liveConfig(g), digest: configDigest(g) }) };
    },
  };
}

/** The guest read routes for both guest types. */
export const guestRoutes: RouteTable = { ...routes('qemu'), ...routes('lxc') };
