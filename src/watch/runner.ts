/**
 * @module watch/runner
 * How checks reach the services: through `ctx.invoke` only, like every operation that
 * uses another, with `watch` as the surface and the check as the actor (the daemon), or
 * the caller of `watch run`. Only `read` operations may run (the runner's context allows
 * no more): a check can never change anything.
 */
import { isConfigured } from '../core/config.js';
import { mentionedWords, namingLabIn, storedLabToName } from '../core/lab-in-commands.js';
import { deriveContext } from '../core/context.js';
import { PartialFailureError } from '../core/errors.js';
import type { OpContext } from '../core/operation.js';
import { isServiceGroup } from '../services/groups.js';
import type { CheckRunner } from './check.js';

/** A runner whose operations run in `ctx`, read-only. */
export function createRunner(ctx: OpContext): CheckRunner {
  const readOnly = deriveContext(ctx, { maxRisk: 'read' });
  return {
    has: async (id) => (await readOnly.lookup(id)) !== undefined,
    configured: (service) => isConfigured(readOnly.config, service),
    async run(id, input = {}) {
      // A fan-out with some parts failed (updates check: a target down) still answered: the check judges its result.
      return readOnly.invoke(id, input).catch((err: unknown) => {
        if (err instanceof PartialFailureError) return err.result;
        throw err;
      });
    },
    async commandLines(text) {
      // Alerts are kept and read later, after a `context use` or from a shell pinned to another lab (lab-in-commands).
      const lab = storedLabToName(readOnly.env, readOnly.config.context ?? readOnly.env.HOMELAB_CONTEXT);
      if (!lab) return text;
      // A word is one of homelab's commands when it names a service or an operation (not prose: "a record homelab made").
      const commands = new Set<string>();
      for (const word of mentionedWords(text)) if (word !== 'context' && (isServiceGroup(word) || (await readOnly.lookup(word)) !== undefined)) commands.add(word);
      return namingLabIn(text, lab, (word) => commands.has(word));
    },
  };
}
