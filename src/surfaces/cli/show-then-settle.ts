/**
 * @module surfaces/cli/show-then-settle
 * Shows a run's result on the CLI, then runs what its operation left for after its output
 * (core/output-steps), once stdout flushed it: a single command and each line of a batch alike.
 */
import type { OutputSteps } from '../../core/output-steps.js';
import { flushOutput } from './closed-output.js';

/**
 * Shows the result (`show`), then, when the run left steps, waits for `out` to flush it and runs
 * them, told whether it reached the reader (`closed` not aborted). A failure to show ends the
 * steps unrun; the first failure is thrown, and the run's audit row records it.
 */
export async function showThenSettle(steps: OutputSteps, show: () => void, out: NodeJS.WritableStream, closed: AbortSignal | undefined): Promise<void> {
  try {
    show();
    if (steps.waiting()) await flushOutput(out);
  } catch (err) {
    steps.abandon(err);
    throw err;
  }
  await steps.settle(closed?.aborted !== true);
}
