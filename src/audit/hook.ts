/**
 * @module audit/hook
 * The invoke hook that writes the audit log. Every surface installs it once at
 * start-up (`installAuditHook`); from then on every `change` or `danger` operation run
 * through `core/invoke` is recorded before it starts and after it ends, in the one log
 * of the host (the shared data directory), with the context (lab) the run was in.
 * `read` operations are not recorded.
 *
 * Before a row is written, the secrets of every service's credentials file are
 * registered for redaction: the row comes before the operation's client has loaded its
 * own, and an input may carry one (`dns add-txt leak <the token>`).
 *
 * A run inside a plan (`ctx.plan`, set by `orchestration/apply` for each step and undo,
 * and inherited by nested `ctx.invoke` calls) records the plan's id and the step's key.
 *
 * The hook fails closed, on every surface: when the audit row cannot be written (a
 * read-only data folder or audit file included), the operation does not run and the
 * error (exit 3) names the file and the fix. An audit log that silently misses changes
 * is worse than none. Reading the log (`homelab audit`) needs no write access.
 */
import { registerStoredSecrets } from '../core/credentials.js';
import { contextName, dataHome } from '../core/paths.js';
import { addInvokeHook, type InvokeHook } from '../core/invoke.js';
import { redact, redactValue } from '../core/redact.js';
import { AuditStore } from './store.js';
import { auditWriteError } from './write-failure.js';

interface Token {
  store: AuditStore;
  id: number;
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
        const id = store.begin({ startedAt: Date.now(), actor: ctx.actor, operation: op.id, risk: op.risk, input: redactValue(input), context: contextName(ctx.env), ...(ctx.plan ? { plan: ctx.plan } : {}) });
        return { store, id };
      } catch (err) {
        throw auditWriteError(op.id, dir, err);
      }
    },
    after(token, outcome): void {
      if (!token) return;
      const { store, id } = token as Token;
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
