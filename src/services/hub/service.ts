/**
 * @module services/hub/service
 * The hub: top-level commands whose work spans services (a module with an empty group
 * name, like `setup`). Each reaches the services' operations through `ctx.invoke` only,
 * never by importing them or the registry; work that changes several services is a plan
 * (`orchestration/`: applied step by step with rollback, one audit row per step sharing
 * the plan id). `setup` keeps the hub's own administration (init, shims, services,
 * doctor).
 *
 * One operation per line below: helpers add theirs with a one-line edit.
 */
import type { AnyOperation, ServiceModule } from '../../core/operation.js';
import { checkOperation } from './check.js';
import { statusOperation } from './status.js';
import { exposeOperation } from './expose.js';
import { exposedOperation } from './exposed.js';
import { unexposeOperation } from './unexpose.js';
import { planOperation } from './plan-op.js';
import { applyOperation } from './apply-op.js';
import { exportOperation } from './export-op.js';

/** The hub's operations, in the order help lists them. */
const operations: AnyOperation[] = [
  statusOperation,
  checkOperation,
  exposeOperation,
  unexposeOperation,
  exposedOperation,
  planOperation,
  applyOperation,
  exportOperation,
];

/** The hub service module. */
export const hubService: ServiceModule = {
  name: '',
  summary: 'The hub: work across services (status, check, expose, plan, apply)',
  operations,
  // `plan|apply|export [file]`: Tab completes a file name.
  completeFields: { file: ['file'] },
};
