/** @module watch/checks — the checks the watch daemon runs (the list: all-checks.ts). */
export { allChecks, checkNames } from './all-checks.js';
