/**
 * @module services/pbs/inputs
 * Input schemas shared by the pbs operations, with the messages users see. Store and
 * group rules are PBS's own (pbs.md §6): a store is 3–32 characters of
 * `[A-Za-z0-9_][A-Za-z0-9._-]*`, a group is `vm/101`, `ct/106` or `host/<name>`.
 */
import { z } from 'zod';

const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** A datastore name. */
export const storeSchema = z
  .string()
  .min(3, 'store must be 3 to 32 characters')
  .max(32, 'store must be 3 to 32 characters')
  .regex(SAFE_ID, 'store must start with a letter, digit or _ and contain only letters, digits, ., _ and -')
  .describe('datastore (default: services.pbs.datastore, or the only one)');

/** A backup group `type/id`, parsed. */
export interface GroupRef {
  type: 'vm' | 'ct' | 'host';
  id: string;
}

/** A backup group like `vm/101`. */
export const groupSchema = z
  .string()
  .transform((value, ctx): GroupRef => {
    const match = /^(vm|ct|host)\/(.+)$/.exec(value);
    if (!match || !SAFE_ID.test(match[2] as string)) {
      ctx.addIssue({ code: 'custom', message: 'group must look like vm/101, ct/106 or host/name' });
      return z.NEVER;
    }
    return { type: match[1] as GroupRef['type'], id: match[2] as string };
  })
  .describe('backup group, e.g. vm/101 or ct/106');

/** A namespace like `pve` or `site/a` (up to 8 levels, each like a store name); `/` is the root (`''`). */
export const namespaceSchema = z
  .string()
  .transform((value, ctx): string => {
    const ns = value.replace(/^\/+|\/+$/g, '');
    const levels = ns ? ns.split('/') : [];
    if (levels.length > 8 || levels.some((l) => !SAFE_ID.test(l)) || ns.length > 256) {
      ctx.addIssue({ code: 'custom', message: 'namespace must look like pve or site/a (up to 8 levels of letters, digits, ., _ and -), or / for the root' });
      return z.NEVER;
    }
    return ns;
  })
  .describe('namespace of the group (e.g. pve; / for the root); default: the one that has it');

/** `--no-wait` (shared with pve, defined in core/validate). */
export { waitSchema } from '../../core/validate.js';
