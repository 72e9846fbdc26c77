/**
 * @module watch/runner
 * How checks reach the services: through the registry and `core/invoke`, like every
 * surface, with `watch` as the surface and the check as the actor. Only `read`
 * operations may run; a check can never change anything.
 */
import { isConfigured, type HomelabConfig } from '../core/config.js';
import { OperationError, PartialFailureError } from '../core/errors.js';
import { parseInput, runParsed } from '../core/invoke.js';
import type { OpContext } from '../core/operation.js';
import type { Registry } from '../core/registry.js';
import type { CheckRunner } from './check.js';

/** A runner over `registry`; `context` builds the context of each run. */
export function createRunner(registry: Registry, context: () => OpContext, config: HomelabConfig): CheckRunner {
  return {
    has: (id) => registry.get(id) !== undefined,
    configured: (service) => isConfigured(config, service),
    async run(id, input = {}) {
      const op = registry.get(id);
      if (!op) throw new OperationError(`operation ${id} is not available`);
      if (op.risk !== 'read') throw new OperationError(`watch runs read operations only, not ${id}`);
      // A fan-out with some parts failed (updates check: a target down) still answered: the check judges its result.
      return runParsed(op, parseInput(op, input), context()).catch((err: unknown) => {
        if (err instanceof PartialFailureError) return err.result;
        throw err;
      });
    },
  };
}
