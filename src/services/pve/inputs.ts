/**
 * @module services/pve/inputs
 * Input schemas shared by the pve operations, with the messages users see.
 */
import { z } from 'zod';

/** A VM or container id: an integer from 100 to 999999999 (pve-vmid). */
export const vmidSchema = z
  .number({ error: 'vmid must be an integer from 100 to 999999999' })
  .int()
  .min(100)
  .max(999_999_999)
  .describe('VM or container id');

/** A snapshot name (pve-configid: a letter, then letters, digits, _ or -; at most 40). */
export const snapnameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]+$/i, 'snapshot name must start with a letter and contain only letters, digits, _ and - (at least 2 characters)')
  .max(40, 'snapshot name must be at most 40 characters')
  .describe('snapshot name');

/** A node name (pve-node). */
export const nodeSchema = z
  .string()
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'node must be a node name like pve1')
  .describe('cluster node');

/** `--no-wait` (shared with pbs, defined in core/validate). */
export { waitSchema } from '../../core/validate.js';
