/**
 * @module watch/check-names
 * The names of the checks, apart from the checks themselves, so the `watch`
 * operations can validate a name without loading every check at CLI start
 * (`checks/all-checks.ts` asserts the two lists agree).
 */

/** Every check name, in the order `watch status` lists them. */
export const CHECK_NAMES = ['backups', 'guests', 'nodes', 'monitors', 'certs', 'systems', 'updates', 'consistency'] as const;
