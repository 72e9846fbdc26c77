/**
 * @module test/faults/table
 * vitest global setup: clears the fault cells before the run and, at teardown, writes
 * `docs/reliability.md` from the cells the fault suite recorded (see `record.ts`). The
 * file is only rewritten when the run recorded every column, so running one fault test
 * alone never truncates the committed table.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { COLUMNS, FAULTS, RESULTS_DIR, type FaultCell } from './record.js';

const DOC = join(process.cwd(), 'docs', 'reliability.md');

const EXPECTED: Record<(typeof FAULTS)[number], string> = {
  timeout: 'no answer past the timeout → exit 4, one line naming the service and the timeout (a change that was sent: "no answer to … within …: it may have been applied; check before retrying")',
  refused: 'connection refused → exit 4',
  reset: 'connection reset mid-body → exit 4; a read retried with backoff, a mutation never retried (and said to be maybe applied, not "cannot reach")',
  'html-5xx': '5xx with an HTML body → exit 1, the status and a short excerpt, no HTML dump',
  'bad-json': 'malformed or truncated JSON → exit 1, "unexpected answer from <service>"',
  'token-expired': 'token expired or rotated mid-session → re-authenticate once where possible, else exit 5',
  'tls-mismatch': 'certificate not matching the pin → exit 4 (or 5), refused before any request, both fingerprints shown',
  slow: 'every answer 2 s late → still correct; progress shown on a TTY',
};

/** This run's folder of cells: its own, so a run beside it (another terminal, an editor) never mixes in. */
const RUN_DIR = join(RESULTS_DIR, `run-${process.pid}`);

/** Clears this run's folder and tells the test files where it is. */
export function setup(project: TestProject): void {
  rmSync(RUN_DIR, { recursive: true, force: true });
  project.provide('faultsDir', RUN_DIR);
}

/** Writes docs/reliability.md when every column was recorded, then removes this run's cells. */
export function teardown(): void {
  if (!existsSync(RUN_DIR)) return;
  const cells: FaultCell[] = readdirSync(RUN_DIR)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(RUN_DIR, f), 'utf8')) as FaultCell[]);
  rmSync(RUN_DIR, { recursive: true, force: true });
  const seen = new Set(cells.map((c) => c.column));
  if (!COLUMNS.every((c) => seen.has(c))) return;
  writeFileSync(DOC, render(cells));
}

function render(cells: FaultCell[]): string {
  const lines = [
    '# Reliability: what each client does under each fault',
    '',
    'Written by the fault suite (`test/faults/`) on every full `npm test` run: each cell is what the test',
    'measured against the simulator with the fault injected, and the test asserts it. ✅: the test passed',
    '(a cell is written only then); ❔ not measured: its test failed or did not run; `n/a` says why a fault',
    'cannot happen to that client. Do not edit by hand.',
    '',
    '## Expected outcomes',
    '',
    ...FAULTS.map((f) => `- **${f}**: ${EXPECTED[f]}`),
    '',
  ];
  for (const column of COLUMNS) {
    lines.push(`## ${column}`, '', '| fault | outcome | |', '| --- | --- | --- |');
    for (const fault of FAULTS) {
      const cell = cells.find((c) => c.column === column && c.fault === fault);
      lines.push(`| ${fault} | ${cell ? stable(cell.outcome) : 'not measured'} | ${cell ? '✅' : '❔'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A body's size varies with the seeded data's timestamps: the table says N bytes, so it is stable between runs. */
function stable(outcome: string): string {
  return outcome.replace(/\b\d+ bytes\b/g, 'N bytes');
}
