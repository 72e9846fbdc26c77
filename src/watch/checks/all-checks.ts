/**
 * @module watch/checks/all-checks
 * The explicit list of checks. Each reads the JSON of a service's read operations;
 * a check whose operations are not in the registry is skipped. `watch/check-names.ts`
 * holds the names apart (the CLI validates a name without loading the checks); loading
 * this list fails at once when the two disagree.
 */
import type { AnyCheck } from '../check.js';
import { CHECK_NAMES } from '../check-names.js';
import { backupsCheck } from './backups.js';
import { certsCheck } from './certs.js';
import { consistencyCheck } from './consistency.js';
import { guestsCheck } from './guests.js';
import { monitorsCheck } from './monitors.js';
import { nodesCheck } from './nodes.js';
import { systemsCheck } from './systems.js';
import { updatesCheck } from './updates.js';

/** Every check, in the order `watch status` lists them. */
export const allChecks: readonly AnyCheck[] = [backupsCheck, guestsCheck, nodesCheck, monitorsCheck, certsCheck, systemsCheck, updatesCheck, consistencyCheck] as readonly AnyCheck[];

/** Names of every check. */
export const checkNames: readonly string[] = allChecks.map((c) => c.name);

if (checkNames.join() !== CHECK_NAMES.join()) throw new Error(`watch/check-names.ts lists ${CHECK_NAMES.join()} but the checks are ${checkNames.join()}`);
