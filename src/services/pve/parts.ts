/**
 * @module services/pve/parts
 * The pve module's operation files, each loadable on its own. pve is the largest module
 * (about thirty operations and their schemas); a one-shot CLI run such as `homelab pve list`
 * initialises only the file that defines its command. The build records which file that is
 * (`surfaces/cli/command-index-build.ts`), so this list only has to name every file that
 * exports operations; an operation in none of them is loaded with the whole module.
 */
import type { OperationPart } from '../catalog.js';

/** Every pve file that exports operations. */
export const pveParts: readonly OperationPart[] = [
  () => import('./operations-guests.js'),
  () => import('./operations-power.js'),
  () => import('./operations-snapshots.js'),
  () => import('./operations-cluster.js'),
  () => import('./operations-history.js'),
  () => import('./operations-templates.js'),
  () => import('./operations-create.js'),
  () => import('./operations-create-ct.js'),
  () => import('./operations-config.js'),
  () => import('./operations-ip.js'),
  () => import('./operations-migrate.js'),
  () => import('./operations-backup.js'),
  () => import('./operations-restore.js'),
  () => import('./operations-destroy.js'),
  () => import('./operations-coverage.js'),
  () => import('./operations-configs.js'),
  () => import('./operations-cluster-status.js'),
];
