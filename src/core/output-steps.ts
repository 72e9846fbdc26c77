/**
 * @module core/output-steps
 * The steps an operation leaves for after its output (`ctx.afterOutput`: `telegram inbox clear`
 * removes what it took only once its result was shown), collected for one run on any surface.
 *
 * A surface runs the operation with `runParsed(…, { outputSteps: steps.take })`; once it knows
 * whether the result reached its reader (stdout flushed, the Bot API accepted the message, the
 * MCP answer was sent) it calls `settle(delivered)`, which runs the steps. When the output itself
 * failed, `abandon(failure)` ends them without running: the run's audit row then records the
 * failure (core/invoke `outputSteps`). Only the first `settle` or `abandon` counts.
 */
import type { OpContext } from './operation.js';

/** The after-output steps of one run. */
export interface OutputSteps {
  /**
   * For `runParsed`'s `outputSteps`: the promise of the steps' end (they run once settled),
   * or undefined when the run left none.
   */
  take(): Promise<void> | undefined;
  /** Whether the run left steps, so its result must be shown before they run. */
  waiting(): boolean;
  /**
   * Runs the steps, told whether the result reached its reader, and resolves once they ran
   * (rejecting with their failure). Resolves at once when the run left none, or has not
   * returned yet (the steps then run when it does, their failure recorded in its audit row),
   * and on every later call.
   */
  settle(delivered: boolean): Promise<void>;
  /** The result could not be shown: the steps never run, and the run is recorded as failed with `failure`. */
  abandon(failure: unknown): void;
}

/** Collects the steps the operation run in `ctx` leaves for after its output. */
export function outputStepsOf(ctx: OpContext): OutputSteps {
  const steps: ((delivered: boolean) => Promise<void>)[] = [];
  ctx.afterOutput = (step) => { steps.push(step); };
  let tell: (delivered: boolean) => void = () => undefined;
  let fail: (failure: unknown) => void = () => undefined;
  const told = new Promise<boolean>((resolve, reject) => { tell = resolve; fail = reject; });
  // An abandoned run that left no steps has nobody waiting on `told`.
  told.catch(() => undefined);
  let ran: Promise<void> | undefined;
  let ended = false;
  return {
    take() {
      if (!steps.length) return undefined;
      ran ??= told.then(async (delivered) => {
        for (const step of steps) await step(delivered);
      });
      return ran;
    },
    waiting: () => steps.length > 0,
    settle(delivered) {
      if (ended) return Promise.resolve();
      ended = true;
      tell(delivered);
      return ran ?? Promise.resolve();
    },
    abandon(failure) {
      if (ended) return;
      ended = true;
      fail(failure);
    },
  };
}
