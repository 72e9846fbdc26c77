/**
 * @module core/registry
 * The operation registry: every operation of every service, looked up by id or by the
 * words a user typed. Built from the explicit service list in `services/index.ts` and
 * checked on construction (unique ids, positional args that exist in the input).
 * `resolveWords` is the one rule for turning words into an operation id; the CLI's
 * build-time command index (`surfaces/cli/command-index`) uses it too.
 */
import type { AnyOperation, OperationSource, ServiceModule } from './operation.js';

/**
 * Finds the operation id named by the leading words (`['pve','start','105']` → `pve.start`,
 * rest `['105']`). Aliases are resolved on the first word; the longest matching id wins.
 */
export function resolveWords(words: readonly string[], aliases: ReadonlyMap<string, string>, has: (id: string) => boolean): { id: string; rest: string[] } | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const head = [aliases.get(first) ?? first, ...words.slice(1)];
  for (let n = Math.min(head.length, 4); n >= 1; n--) {
    const id = head.slice(0, n).join('.');
    if (has(id)) return { id, rest: head.slice(n) };
  }
  return undefined;
}

/** All operations, indexed; also the operation source of `OpContext.invoke` on long-running surfaces. */
export class Registry implements OperationSource {
  private readonly byId = new Map<string, AnyOperation>();
  private readonly aliases = new Map<string, string>();

  constructor(readonly services: readonly ServiceModule[]) {
    for (const service of services) {
      for (const alias of service.aliases ?? []) this.aliases.set(alias, service.name);
      for (const op of service.operations) {
        if (this.byId.has(op.id)) throw new Error(`operation ${op.id} is defined twice`);
        const prefix = service.name ? `${service.name}.` : '';
        if (!op.id.startsWith(prefix)) throw new Error(`operation ${op.id} does not belong to service ${service.name}`);
        const keys = Object.keys(op.input.shape);
        for (const arg of op.args ?? []) {
          if (!keys.includes(arg)) throw new Error(`operation ${op.id}: positional arg ${arg} is not an input key`);
        }
        this.byId.set(op.id, op);
      }
    }
  }

  /** Every operation, in definition order. */
  all(): AnyOperation[] {
    return [...this.byId.values()];
  }

  /** The operation with this id. */
  get(id: string): AnyOperation | undefined {
    return this.byId.get(id);
  }

  /** The operation with this id (as an `OperationSource`). */
  find(id: string): AnyOperation | undefined {
    return this.byId.get(id);
  }

  /** The service a group name or alias refers to. */
  service(name: string): ServiceModule | undefined {
    const canonical = this.aliases.get(name) ?? name;
    return this.services.find((s) => s.name === canonical && s.name !== '');
  }

  /**
   * Finds the operation named by the leading words (`['pve','start','105']` → pve.start, rest `['105']`).
   * Aliases are resolved on the first word; the longest matching id wins.
   */
  resolve(words: readonly string[]): { op: AnyOperation; rest: string[] } | undefined {
    const found = resolveWords(words, this.aliases, (id) => this.byId.has(id));
    const op = found && this.byId.get(found.id);
    return found && op ? { op, rest: found.rest } : undefined;
  }
}
