/**
 * @module orchestration
 * The plan mechanism, with no knowledge of any service: plans as plain data (`plan`),
 * applying them with rollback (`apply`), showing them (`render`), and operations whose
 * work is a plan (`plan-operation`). The operations that span services live in
 * `services/hub`.
 */
export { createPlan, newPlanId, planSchema, hasChanges, stepState, valueAt, type Plan, type PlanStep, type StepUndo, type StepState, type ResultRef } from './plan.js';
export { applyPlan, describeFailure, planExitCode, type ApplyOptions, type PlanOutcome } from './apply.js';
export type { StepOutcome, StepStatus, StepError } from './step-outcome.js';
export { planPreview, planSummary, renderOutcome, renderPlan } from './render.js';
export { definePlanOperation, dryRunField, rememberShownPlan, settlePlan, PlanFailedError, type PlanOperationSpec, type PlanResult } from './plan-operation.js';
export { checkPlanDigest, planDigest, planDigestField, planLab } from './plan-digest.js';
export { detailedExitCode, detailedExitcodeOn, PendingChanges } from './detailed-exitcode.js';
