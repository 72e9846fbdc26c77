/**
 * @module core/validate
 * zod schemas for inputs many services share: host names (RFC 1123), IP addresses,
 * durations, `--no-wait` of task-starting commands (pve, pbs). Validated before any call, so bad input never reaches a service.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { parseDuration } from './format.js';

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Whether `name` is an RFC 1123 host name (labels of letters, digits and inner hyphens; a trailing dot allowed). */
export function isHostname(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => LABEL.test(l));
}

/** Whether `value` is an IPv4 or IPv6 address. */
export function isIp(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** A host name or an IP address. */
export const hostSchema = z
  .string()
  .refine((v) => isIp(v) || isHostname(v), { message: 'must be a host name (RFC 1123) or an IP address' });

/** An IPv4 or IPv6 address. */
export const ipSchema = z.string().refine(isIp, { message: 'must be an IPv4 or IPv6 address' });

/** A duration like `24h`, `15m`, `7d`, parsed to milliseconds. */
export const durationSchema = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 90s, 15m, 24h or 7d' });
    return z.NEVER;
  }
  return ms;
});

/** `--no-wait`: return the UPID at once instead of waiting for the task. */
export const waitSchema = z.boolean().default(true).describe('waits for the task to finish by default; --no-wait (wait: false) returns at once with its UPID');
