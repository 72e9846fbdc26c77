/**
 * @module services/pve/sim/routes/guest-of
 * The guest a route's path names (`/nodes/{node}/{qemu,lxc}/{vmid}/…`), as the handlers
 * load it with `load_config`: a 500 naming the config file when it is not on that node.
 */
import { int, req, type RouteContext } from '../context.js';
import { loadConfig, type GuestType } from '../guest-lookup.js';
import type { SimGuest } from '../state.js';

/** The guest of type `type` that the route's `{node}` and `{vmid}` name, or `load_config`'s 500. */
export function guestOf(ctx: RouteContext, type: GuestType): SimGuest {
  return loadConfig(ctx.state, type, req(ctx, 'node'), int(ctx, 'vmid') ?? 0);
}
