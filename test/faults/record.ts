/**
 * @module test/faults/record
 * The fault suite's shared table: every fault test records what it measured for one
 * (service, fault) cell, and `vitest`'s global teardown (`test/faults/table.ts`) writes
 * the table of every cell recorded in the run to `docs/reliability.md`.
 *
 * Each test file records into its own JSON file under `.tmp/faults/<run>/` (files run in
 * separate workers, so there is no shared memory); the teardown merges them. Every vitest
 * run gets its own folder (handed to the workers with `provide`/`inject`), so two runs
 * side by side never wipe each other's cells.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of this run's cells (set by test/faults/table.ts). */
    faultsDir?: string;
  }
}

/** The faults of the table's rows, in order. */
export const FAULTS = ['timeout', 'refused', 'reset', 'html-5xx', 'bad-json', 'token-expired', 'tls-mismatch', 'slow'] as const;
/** One fault. */
export type Fault = (typeof FAULTS)[number];

/** The table's columns, in order: service clients, then the surfaces that relay their errors. */
export const COLUMNS = ['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma', 'telegram', 'ssh', 'bot', 'mcp'] as const;
/** One column. */
export type Column = (typeof COLUMNS)[number];

/** What one cell says. */
export interface FaultCell {
  column: Column;
  fault: Fault;
  /**
   * What was measured, short: `exit 4 · "pve: timed out after 1 s (GET /cluster/resources)"`,
   * or `n/a: no TLS`. Recorded only once the test's assertions passed, so a cell that exists
   * is the expected outcome; a test that fails records nothing, and its cell reads "not measured".
   */
  outcome: string;
}

/** Where the cells of every run are written (one folder per run below it). */
export const RESULTS_DIR = join(process.cwd(), '.tmp', 'faults');

/**
 * Returns a `record` function for one test file; the cells are written when the file ends.
 * `name` must be unique per test file (e.g. `pve`, `kuma`, `surfaces`).
 */
export function faultRecorder(name: string): (cell: FaultCell) => void {
  const cells: FaultCell[] = [];
  afterAll(() => {
    const dir = inject('faultsDir') ?? join(RESULTS_DIR, 'unnamed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(cells, null, 2));
  });
  return (cell) => {
    const i = cells.findIndex((c) => c.column === cell.column && c.fault === cell.fault);
    if (i >= 0) cells.splice(i, 1);
    cells.push(cell);
  };
}

/** Cuts an error line to something fit for a table cell (one line, pipes escaped, at most `max` characters). */
export function cellText(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
