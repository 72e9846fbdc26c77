/**
 * @module surfaces/telegram/output-steps
 * The steps an operation leaves for after its output (`ctx.afterOutput`: `telegram inbox clear`
 * removes what it took only once shown), run once the bot knows whether the result reached the
 * chat: delivered when the Bot API accepted the messages (or the document) carrying it. A
 * result that was not sent (Telegram refused it, the network failed, the bot stopped waiting
 * for the run) is not delivered: the inbox clear puts its entries back.
 */
import type { OpContext } from '../../core/operation.js';

/** The after-output steps of one run. */
export interface OutputSteps {
  /** For `runParsed`'s `outputSteps` (core/invoke): the promise of the steps' end, undefined when there are none. */
  take(): Promise<void> | undefined;
  /**
   * Tells the steps whether the result was delivered and resolves once they ran, rejecting
   * with their failure; at once when the run left none (or has not returned yet: they run
   * when it does, their failure recorded in its audit row), and on every later call.
   */
  settle(delivered: boolean): Promise<void>;
}

/** Collects the steps the operation run in `ctx` leaves for after its output. */
export function outputStepsOf(ctx: OpContext): OutputSteps {
  const steps: ((delivered: boolean) => Promise<void>)[] = [];
  ctx.afterOutput = (step) => { steps.push(step); };
  let tell: (delivered: boolean) => void = () => undefined;
  const told = new Promise<boolean>((resolve) => { tell = resolve; });
  let ran: Promise<void> | undefined;
  let settled = false;
  return {
    take() {
      if (!steps.length) return undefined;
      ran = told.then(async (delivered) => {
        for (const step of steps) await step(delivered);
      });
      return ran;
    },
    settle(delivered) {
      if (settled) return Promise.resolve();
      settled = true;
      tell(delivered);
      return ran ?? Promise.resolve();
    },
  };
}
