/**
 * @module services/hub/expose-target
 * Where an exposed app forwards to. The target is `<where>:<port>`: an address
 * (`10.5.0.60:3000`, `[fd00::60]:3000`), a guest by VMID or by name (`107:3000`,
 * `forgejo:3000`: its address from `pve ip`, or from its DNS record when PVE cannot
 * tell), or a fully qualified host name (`app.example.lan:8080`, forwarded to as is).
 * Guests and records are reached through `ctx.invoke`, never by importing a service.
 *
 * A name two guests share (a clone given the name of the guest it copied) is never settled by
 * picking one: it is refused with exit 2, the guests listed (VMID, kind, node), and the
 * VMID asked for. A VMID no guest has is refused with exit 2 too, as every `pve` command does.
 */
import { isIP, isIPv4 } from 'node:net';
import { z } from 'zod';
import { OperationError, UsageError, toHomelabError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';
import { isHostname } from '../../core/validate.js';
import { guestInterfacesSchema, learnedAddresses } from './guest-addresses.js';

/**
 * Whether `name` is a host name and cannot be a mistyped IPv4 address: a name whose last
 * label is all digits (`10.5.0.256`, `10.5.0`, `300.1.1.1`) is not one (RFC 3696 §2: a
 * top-level domain is never all-numeric), so it is refused instead of being forwarded to
 * or pointed at as a name.
 */
export function isHostName(name: string): boolean {
  const n = name.replace(/\.$/, '');
  return isHostname(n) && !/^\d+$/.test(n.slice(n.lastIndexOf('.') + 1));
}

/** The message for a dotted name that is neither an IPv4 address nor a host name. */
export function notAnAddress(where: string): string {
  return `${where} is not a valid IPv4 address or host name`;
}

/** A target as typed: where, and the port. */
export interface TargetSpec {
  /** An address, a VMID (digits), a guest name (one label) or a host name (with dots). */
  where: string;
  port: number;
}

/** `<where>:<port>` → `{ where, port }`; checked before anything is sent. */
export const targetSpecSchema = z
  .string()
  .transform((v, ctx): TargetSpec => {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(v.trim());
    const where = (m?.[1] ?? m?.[2] ?? '').toLowerCase();
    const port = Number(m?.[3]);
    const whereOk = m?.[1] ? isIP(where) === 6 : isIPv4(where) || /^\d{3,9}$/.test(where) || isHostName(where);
    if (m && !m[1] && !whereOk && where.includes('.') && isHostname(where)) {
      ctx.addIssue({ code: 'custom', message: `${notAnAddress(where)}: must be <guest>:<port>, <vmid>:<port>, <address>:<port> or <host>:<port>` });
      return z.NEVER;
    }
    if (!m || !whereOk || !Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: 'must be <guest>:<port>, <vmid>:<port>, <address>:<port> or <host>:<port>, e.g. forgejo:3000 or 10.5.0.60:3000; port 1-65535' });
      return z.NEVER;
    }
    return { where, port };
  })
  .describe('where to forward: a guest (name or VMID) or a host, with a port: forgejo:3000, 107:3000, 10.5.0.60:3000');

/** A target resolved to an address or host name NPM can forward to. */
export interface ResolvedTarget {
  host: string;
  port: number;
  /** How the host was found: `given`, `guest 107 forgejo, from pve ip`, `from DNS forgejo.home.lan`. */
  via: string;
}

const guestsSchema = z.array(z.looseObject({ vmid: z.number(), name: z.string(), template: z.boolean().optional(), type: z.string().optional(), node: z.string().optional() }));
type Guest = z.infer<typeof guestsSchema>[number];

/** A guest name that several guests have: which one to forward to is the user's choice (exit 2). */
export class AmbiguousGuestError extends UsageError {
  constructor(readonly guestName: string, readonly guests: readonly Guest[]) {
    const list = guests.map((g) => `${g.vmid} (${g.type === 'lxc' ? 'container' : g.type === 'qemu' ? 'VM' : 'guest'}${g.node ? ` on ${g.node}` : ''})`).join(', ');
    super(`${guests.length} guests are named ${guestName}: ${list}; which one is meant cannot be told`, `give the VMID instead of the name, e.g. ${guests[0]?.vmid ?? '<vmid>'}:<port>`);
  }
}
/**
 * A field of the app that cannot be used as it is (a target no guest or record has, a template,
 * a certificate that is missing, expired or covers other names): exit 1 for `expose`, as
 * before; in lab.yaml, a lab-file error naming the line and the key (`apps.<app>.<field>`).
 */
export class SpecFieldError extends OperationError {
  constructor(readonly field: 'target' | 'cert', message: string, hint?: string) {
    super(message, hint);
  }
}

/** A VMID no guest in the cluster has (exit 2; in lab.yaml, a lab-file error). */
export class UnknownGuestError extends UsageError {
  constructor(readonly vmid: string) {
    super(`no guest with VMID ${vmid} in the cluster`, 'homelab pve list shows the guests');
  }
}

const recordsSchema = z.looseObject({ records: z.array(z.looseObject({ name: z.string(), type: z.string(), value: z.string(), disabled: z.boolean() })) });

/** The first address PVE reports that is the guest's own (IPv4 first; guest-addresses: never loopback, link-local or a Docker bridge). */
function firstAddress(raw: unknown): string | undefined {
  const own = learnedAddresses(guestInterfacesSchema.parse(raw).interfaces, new Set());
  return own.find((a) => isIPv4(a)) ?? own[0];
}

/** The address of guest `vmid` from `pve ip`, or the reason there is none. */
async function guestAddress(ctx: OpContext, vmid: number): Promise<string | { reason: string }> {
  try {
    return firstAddress(await ctx.invoke('pve.ip', { vmid })) ?? { reason: 'pve ip reports no address' };
  } catch (err) {
    return { reason: toHomelabError(err).message };
  }
}

/** The address of `name.<zone>` from its A/AAAA record, if it has one. */
async function recordAddress(ctx: OpContext, name: string, zone: string): Promise<string | undefined> {
  try {
    const { records } = recordsSchema.parse(await ctx.invoke('dns.records', { zone }));
    const fqdn = `${name}.${zone}`;
    return records.find((r) => r.name.toLowerCase() === fqdn && (r.type === 'A' || r.type === 'AAAA') && !r.disabled)?.value;
  } catch {
    return undefined;
  }
}

/**
 * Resolves a target to what NPM forwards to: an OperationError (exit 1) when a guest's address
 * cannot be found; an UnknownGuestError (exit 2) for a VMID no guest has, and an AmbiguousGuestError
 * for a name several guests have.
 */
export async function resolveTarget(ctx: OpContext, spec: TargetSpec, zone: string): Promise<ResolvedTarget> {
  const { where, port } = spec;
  if (isIP(where) !== 0) return { host: where, port, via: 'given' };
  if (where.includes('.')) return { host: where, port, via: 'given' };
  let guest: Guest | undefined;
  let pveProblem: string | undefined;
  try {
    const guests = guestsSchema.parse(await ctx.invoke('pve.list', {}));
    const byVmid = /^\d+$/.test(where);
    const matching = guests.filter((g) => (byVmid ? g.vmid === Number(where) : g.name.toLowerCase() === where));
    const running = matching.filter((g) => !g.template);
    if (running.length > 1) throw new AmbiguousGuestError(where, running);
    guest = running[0] ?? matching[0];
  } catch (err) {
    if (err instanceof AmbiguousGuestError) throw err;
    pveProblem = toHomelabError(err).message;
  }
  if (guest?.template) {
    throw new SpecFieldError('target', `guest ${guest.vmid} (${guest.name}) is a template: it does not run and cannot be exposed`, 'clone it first (homelab pve clone), then expose the clone');
  }
  if (/^\d+$/.test(where) && !guest) {
    if (pveProblem) throw new OperationError(`cannot look up guest ${where}: ${pveProblem}`, 'homelab pve list shows the guests');
    throw new UnknownGuestError(where);
  }
  if (guest) {
    const address = await guestAddress(ctx, guest.vmid);
    if (typeof address === 'string') return { host: address, port, via: `guest ${guest.vmid} ${guest.name}, from pve ip` };
    const fromDns = await recordAddress(ctx, guest.name, zone);
    if (fromDns) return { host: fromDns, port, via: `guest ${guest.vmid} ${guest.name}, from DNS ${guest.name}.${zone}: pve ip: ${address.reason}` };
    throw new OperationError(`cannot find the address of guest ${guest.vmid} (${guest.name}): ${address.reason}, and ${guest.name}.${zone} has no A record`, 'give the address instead: homelab expose <name> <address>:<port>');
  }
  const fromDns = await recordAddress(ctx, where, zone);
  if (fromDns) return { host: fromDns, port, via: `from DNS ${where}.${zone}` };
  // PVE could not be asked: whether the name is a guest is not known, so the file is not to blame.
  const unknown = (message: string, hint: string): OperationError => (pveProblem ? new OperationError(message, hint) : new SpecFieldError('target', message, hint));
  throw unknown(`${where} is neither a guest${pveProblem ? ` (PVE: ${pveProblem})` : ''} nor a name with an address in ${zone}`, 'give a guest name or VMID, an address, or a fully qualified host name');
}
