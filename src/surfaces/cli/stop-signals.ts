/**
 * @module surfaces/cli/stop-signals
 * The stop signals of a one-shot CLI run: Ctrl-C (SIGINT) and SIGTERM (`kill`, `timeout`,
 * systemd) both cancel the run the same way, so its done steps are undone, its audit row is
 * closed and one line says so. Only the first one cancels: both handlers go with it, so a
 * second signal of either kind ends the process at once (stops a slow undo).
 */
import { CancelledError } from '../../core/errors.js';

/** The signals that cancel a running command. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Aborts `controller` (with `reason`, by default `CancelledError('interrupted')`) on the first
 * SIGINT or SIGTERM. Returns the function that removes the handlers; call it when the run ends.
 */
export function cancelOnStopSignals(controller: AbortController, reason: () => Error = () => new CancelledError('interrupted')): () => void {
  const off = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  function onSignal(): void {
    off();
    controller.abort(reason());
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return off;
}
