/**
 * @module orchestration/step-outcome
 * What became of one step of an applied plan: its status, its error as the outcome carries
 * it, and the step's whole outcome. Plain types, so `apply` (which fills them in) and `undo`
 * (which updates them as it undoes) share them without importing each other.
 */
import type { StepState } from './plan.js';

/** What became of one step. */
export type StepStatus = 'done' | 'unchanged' | 'failed' | 'undone' | 'undo-failed' | 'not-run';

/** An error as the outcome carries it (redacted, one line). */
export interface StepError {
  message: string;
  hint: string | null;
  exitCode: number;
}

/** One step's outcome. */
export interface StepOutcome {
  key: string;
  describe: string;
  op: string;
  state: StepState;
  status: StepStatus;
  /** `failed`: why the step failed; `undo-failed`: why its undo failed. */
  error: StepError | null;
  /**
   * A done step with no undo after the plan failed: "no undo step: left in place"; an undone
   * step whose undo could not bring everything back: "re-created with defaults: HSTS, …"; a
   * failed step whose request may have gone through: what its undo found (see `inFlight`).
   */
  note: string | null;
  /**
   * A failed step whose request may have reached the service (orchestration/in-flight):
   * `undone` (it had been done, and its undo removed it), `nothing` (its undo found nothing
   * to undo, or a delete's object is still there), `restored` (an update's undo wrote the old
   * values back, which proves nothing: it may not have gone through), `may-remain` (its undo
   * could not run or failed: the note gives the command that removes it), `may-be-deleted` (a
   * delete whose object could not be looked up, which is never re-created blindly; the note
   * gives the command that finishes the job). Null otherwise. A delete whose object turned out
   * to be gone is `done` (with a note), and the plan goes on.
   */
  inFlight: 'undone' | 'nothing' | 'restored' | 'may-remain' | 'may-be-deleted' | null;
}
