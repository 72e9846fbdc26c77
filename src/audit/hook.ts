/**
 * @module audit/hook
 * The invoke hook that writes the audit log. Every surface installs it once at
 * start-up (`installAuditHook`); from then on every `change` or `danger` operation run
 * through `core/invoke` is recorded before it starts and after it ends, in the one log
 * of the host (the shared data directory), with the context (lab) the run was in.
 * `read` operations are not recorded.
 *
 * Before a row is written, the secrets of every service's credentials file, the login
 * tokens cached in the data directory (NPM, Kuma, Beszel, the DNS session) and the MCP token
 * are registered for redaction (`registerStoredSecrets`): the row comes before the
 * operation's client has loaded its own, and an input may carry one (`dns add-txt leak <the token>`).
 *
 * The row also records which of the input's switches are off because off is their schema
 * default (`dns add`'s `ptr`): the audit table leaves those out of its INPUT cell, while a
 * switch turned off that defaults to nothing (`pve set --no-onboot`) stays `onboot=false`.
 *
 * A run that leaves steps for after its output (`ctx.afterOutput`: `telegram inbox clear` removes
 * what it took only once the CLI wrote it out, the MCP answer was sent or the bot's result message
 * was taken) is finished once they ran: when its
 * output failed and the entries went back, the row says error, as the exit code does
 * (core/invoke `outputSteps`).
 *
 * A run inside a plan (`ctx.plan`, set by `orchestration/apply` for each step and undo,
 * and inherited by nested `ctx.invoke` calls) records the plan's id and the step's key; as
 * its first step starts, the run that applies the plan (the step context's parent, `expose`,
 * `unexpose` or `apply`) gets the plan's id in its own row.
 *
 * The hook fails closed, on every surface: when the audit row cannot be written (a
 * read-only data folder or audit file included), the operation does not run and the
 * error (exit 3) names the file and the fix. An audit log that silently misses changes
 * is worse than none. Reading the log (`homelab audit`) needs no write access.
 */
import { fieldsOf } from '../core/args.js';
import { parentContext } from '../core/context.js';
import { registerStoredSecrets } from '../core/credentials.js';
import { contextName, dataHome } from '../core/paths.js';
import { addInvokeHook, type InvokeHook } from '../core/invoke.js';
import type { OpContext } from '../core/operation.js';
import { redact, redactValue } from '../core/redact.js';
import { offByDefault } from './input-summary.js';
import { AuditStore } from './store.js';
import { auditWriteError } from './write-failure.js';

interface Token {
  store: AuditStore;
  id: number;
  ctx: OpContext;
  /** Whether the row carries a plan id (a step's, or the plan its run applies). */
  planned: boolean;
}

/** The audited runs still going on in each context, innermost last. */
const running = new WeakMap<OpContext, Token[]>();

/**
 * Writes `plan` into the row of the run that applies it: the innermost running run of the
 * nearest context, above a step's, that is not itself a plan step (`ctx.plan` unset).
 */
function tagPlanRun(step: OpContext, plan: string): void {
  for (let c = parentContext(step); c; c = parentContext(c)) {
    if (c.plan) continue;
    const run = running.get(c)?.at(-1);
    if (!run) continue;
    if (!run.planned) {
      run.store.setPlan(run.id, plan);
      run.planned = true;
    }
    return;
  }
}

/** Builds the audit hook; `storeFor` opens the store of a data directory (cached by the default). */
export function createAuditHook(storeFor: (dataDir: string) => AuditStore = cachedStore): InvokeHook {
  return {
    before(op, input, ctx): Token | undefined {
      if (op.risk === 'read') return undefined;
      registerStoredSecrets(ctx.env);
      const dir = dataHome(ctx.env);
      try {
        const store = storeFor(dir);
        if (ctx.plan) tagPlanRun(ctx, ctx.plan.id);
        const defaultOff = offByDefault(input, fieldsOf(op));
        const id = store.begin({ startedAt: Date.now(), actor: ctx.actor, operation: op.id, risk: op.risk, input: redactValue(input), context: contextName(ctx.env), defaultOff, ...(ctx.plan ? { plan: ctx.plan } : {}) });
        const token: Token = { store, id, ctx, planned: Boolean(ctx.plan) };
        running.set(ctx, [...(running.get(ctx) ?? []), token]);
        return token;
      } catch (err) {
        throw auditWriteError(op.id, dir, err);
      }
    },
    after(token, outcome): void {
      if (!token) return;
      const { store, id, ctx } = token as Token;
      running.set(ctx, (running.get(ctx) ?? []).filter((t) => t !== token));
      try {
        store.finish(id, { ...outcome, ...(outcome.error === undefined ? {} : { error: redact(outcome.error) }) });
      } catch {
        // the row stays `running`, which is what an interrupted write looks like
      }
    },
  };
}

const stores = new Map<string, AuditStore>();

/** The shared store of a data directory (one connection per process and directory). */
export function cachedStore(dataDir: string): AuditStore {
  let store = stores.get(dataDir);
  if (!store) {
    store = AuditStore.open(dataDir);
    stores.set(dataDir, store);
  }
  return store;
}

let removeInstalled: (() => void) | undefined;

/**
 * Installs the audit hook for this process (idempotent). Every surface calls it once at
 * start-up: the CLI, the bot, the MCP server and the watch daemon. Returns the remover.
 */
export function installAuditHook(): () => void {
  if (!removeInstalled) {
    const remove = addInvokeHook(createAuditHook());
    removeInstalled = () => {
      remove();
      removeInstalled = undefined;
    };
  }
  return removeInstalled;
}
