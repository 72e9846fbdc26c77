/**
 * @module surfaces/cli/command-index
 * The CLI's command index: every operation's id, summary, usage, fields (flags with
 * their types, choices and descriptions), risk, surfaces and examples, and every
 * service's name, aliases and summary, as plain data. `npm run build` writes it from the
 * registry (`command-index-build.ts`), so `--help` and dispatch need neither zod nor any
 * service module; only the one service a command names is imported to run it.
 */
import { readFileSync } from 'node:fs';
import type { AnyOperation } from '../../core/operation.js';
import { resolveWords } from '../../core/registry.js';
import { loadFromPart, loadService } from '../../services/catalog.js';
import { COMMAND_INDEX_FILE, COMMAND_INDEX_FORMAT, type CommandIndexData, type IndexedOperation, type IndexedService } from './command-index-data.js';

/** The index's data types, for the modules that read it through this one. */
export type { CommandIndexData, IndexedOperation, IndexedService } from './command-index-data.js';

/** The index, with the registry's lookups (same resolution rule as `Registry.resolve`). */
export class CommandIndex {
  private readonly byId = new Map<string, IndexedOperation>();
  private readonly aliases = new Map<string, string>();

  constructor(readonly data: CommandIndexData) {
    for (const s of data.services) for (const alias of s.aliases ?? []) this.aliases.set(alias, s.name);
    for (const op of data.operations) this.byId.set(op.id, op);
  }

  /** Every operation, in definition order. */
  all(): IndexedOperation[] {
    return this.data.operations;
  }

  /** The operation with this id. */
  get(id: string): IndexedOperation | undefined {
    return this.byId.get(id);
  }

  /** The named service group (by name or alias; not the top-level one). */
  service(name: string): IndexedService | undefined {
    const canonical = this.aliases.get(name) ?? name;
    return this.data.services.find((s) => s.name === canonical && s.name !== '');
  }

  /** The operations of a service, in definition order. */
  operationsOf(service: string): IndexedOperation[] {
    return this.data.operations.filter((op) => op.service === service);
  }

  /**
   * The longest command group the leading words name and the verbs it takes: `kuma add` →
   * `{ path: ['kuma', 'add'], verbs: ['http', 'ping', …] }`, `kuma` → every kuma verb, a
   * top-level group (`shims`) → its verbs. Undefined when no operation's id starts with them.
   */
  group(words: readonly string[]): { path: string[]; verbs: string[] } | undefined {
    const first = words[0];
    if (first === undefined) return undefined;
    const head = [this.aliases.get(first) ?? first, ...words.slice(1)];
    for (let n = Math.min(head.length, 3); n >= 1; n--) {
      const prefix = `${head.slice(0, n).join('.')}.`;
      const verbs = [...new Set(this.data.operations.filter((op) => op.id.startsWith(prefix)).map((op) => op.id.slice(prefix.length).split('.')[0] as string))];
      if (verbs.length) return { path: head.slice(0, n), verbs };
    }
    return undefined;
  }

  /** The operation named by the leading words, and the words after it. */
  resolve(words: readonly string[]): { op: IndexedOperation; rest: string[] } | undefined {
    const found = resolveWords(words, this.aliases, (id) => this.byId.has(id));
    const op = found && this.byId.get(found.id);
    return found && op ? { op, rest: found.rest } : undefined;
  }
}

function readBuiltIndex(): CommandIndexData | undefined {
  // The bundle keeps this module in dist/chunks/, next to the index; an entry file sits one level up.
  for (const path of [`./${COMMAND_INDEX_FILE}`, `./chunks/${COMMAND_INDEX_FILE}`]) {
    try {
      const data = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as CommandIndexData;
      if (data.format === COMMAND_INDEX_FORMAT && Array.isArray(data.operations)) return data;
    } catch {
      // missing or unreadable: try the next place, then build it from the registry
    }
  }
  return undefined;
}

let loaded: CommandIndex | undefined;

/**
 * The command index: the one written by the build, or (running from source, or when
 * the file is missing) built from the registry, which loads every service.
 */
export async function loadCommandIndex(): Promise<CommandIndex> {
  if (loaded) return loaded;
  const built = readBuiltIndex();
  loaded = new CommandIndex(built ?? (await (await import('./command-index-build.js')).registryCommandIndex()));
  return loaded;
}

/**
 * Imports the code that defines `entry` and returns its operation: the one file of its
 * module when the index names a part, else the whole service module.
 */
export async function loadOperation(entry: IndexedOperation): Promise<AnyOperation> {
  const fromPart = entry.part === undefined ? undefined : await loadFromPart(entry.module, entry.part, entry.id);
  const op = fromPart ?? (await loadService(entry.module)).operations.find((o) => o.id === entry.id);
  if (!op) throw new Error(`the command index lists ${entry.id}, which its service does not define: rebuild (npm run build)`);
  return op;
}
