/**
 * @module surfaces/cli/batch-labs
 * The labs one batch runs in: the batch's own (its environment: `homelab --context office
 * batch` pins office) and each one a line names with `--context`. Each lab gets its own
 * operation context and client cache, made on first use and kept for the batch, so the
 * lines of one lab share kept-alive connections and two labs never share a client (or a
 * cached token).
 */
import { ClientCache } from '../../core/context.js';
import { knownContext, withContext } from '../../core/context-name.js';
import type { OpContext } from '../../core/operation.js';
import { configFile } from '../../core/paths.js';

/**
 * A check for the context names lines give: a valid name the config defines, else the
 * ConfigError `homelab --context <name>` gives (exit 3) for that line, which is rejected
 * before anything runs.
 */
export function contextChecker(env: NodeJS.ProcessEnv): (name: string) => void {
  return (name) => {
    knownContext(name, '--context', configFile(env));
  };
}

/** Operation contexts by lab, for one batch. */
export class BatchLabs {
  private readonly made = new Map<string, { ctx: OpContext; clients: ClientCache }>();

  /** `make` builds a lab's context from its environment and client cache. */
  constructor(private readonly env: NodeJS.ProcessEnv, private readonly make: (env: NodeJS.ProcessEnv, clients: ClientCache) => OpContext) {}

  /** The context of the lab `name`; undefined: the batch's own. */
  context(name?: string): OpContext {
    const key = name ?? '';
    let lab = this.made.get(key);
    if (!lab) {
      const clients = new ClientCache();
      lab = { ctx: this.make(name === undefined ? this.env : withContext(this.env, name), clients), clients };
      this.made.set(key, lab);
    }
    return lab.ctx;
  }

  /** Closes every lab's clients. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.made.values()].map((lab) => lab.clients.closeAll()));
  }
}
