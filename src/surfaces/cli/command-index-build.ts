/**
 * @module surfaces/cli/command-index-build
 * Builds the CLI's command index from the registry. `scripts/build.mjs` calls
 * `writeCommandIndex` on the built bundle; a test checks that the written index and the
 * registry agree on every operation.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldsOf, usageLine } from '../../core/args.js';
import { isPlanOperation } from '../../core/confirmation.js';
import type { AnyOperation, ServiceModule } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { exportedValues, serviceLoaders } from '../../services/catalog.js';
import { getRegistry } from '../../services/index.js';
import { COMMAND_INDEX_FILE, COMMAND_INDEX_FORMAT, type CommandIndexData, type IndexedOperation } from './command-index-data.js';

/**
 * The index of a registry, as plain JSON data (JSON round trip included, so it compares
 * equal to the file). `moduleKey` names the catalog entry that loads a service module.
 */
export function buildCommandIndex(registry: Registry, moduleKey: (service: ServiceModule) => string, partOf: (op: AnyOperation) => number | undefined = () => undefined): CommandIndexData {
  const services = registry.services.map((s) => ({ name: s.name, ...(s.aliases?.length ? { aliases: [...s.aliases] } : {}), summary: s.summary }));
  const operations = registry.services.flatMap((s) => s.operations.map((op): IndexedOperation => ({
    id: op.id,
    service: s.name,
    module: moduleKey(s),
    ...(partOf(op) === undefined ? {} : { part: partOf(op) }),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    risk: op.risk,
    // As `needsConfirmation` decides on the CLI: a change is asked first only when it runs a plan.
    ...(op.risk === 'change' && isPlanOperation(op) ? { confirms: true } : {}),
    usage: usageLine(op),
    ...(op.args ? { args: [...op.args] } : {}),
    ...(op.variadic ? { variadic: true } : {}),
    ...(op.surfaces ? { surfaces: [...op.surfaces] } : {}),
    ...(op.examples ? { examples: [...op.examples] } : {}),
    fields: fieldsOf(op).map((f) => {
      const kinds = s.completeFields?.[f.key];
      return kinds ? { ...f, complete: [...kinds] } : f;
    }),
  })));
  return JSON.parse(JSON.stringify({ format: COMMAND_INDEX_FORMAT, services, operations })) as CommandIndexData;
}

/**
 * Which part of its module defines each operation (same object), for every module with
 * parts. An operation exported by two parts is an error; one exported by none is loaded
 * with its whole module.
 */
async function operationParts(): Promise<Map<AnyOperation, number>> {
  const parts = new Map<AnyOperation, number>();
  for (const loader of serviceLoaders) {
    if (!loader.parts) continue;
    const ops = new Set((await loader.load()).operations);
    for (const [index, load] of (await loader.parts()).entries()) {
      for (const value of exportedValues(await load())) {
        if (!ops.has(value as AnyOperation)) continue;
        const op = value as AnyOperation;
        const other = parts.get(op);
        if (other !== undefined && other !== index) throw new Error(`${op.id} is exported by parts ${other} and ${index} of ${loader.key}`);
        parts.set(op, index);
      }
    }
  }
  return parts;
}

/** The index of the full registry, each service matched to its catalog entry (every service loaded). */
export async function registryCommandIndex(): Promise<CommandIndexData> {
  const keys = new Map<ServiceModule, string>();
  for (const loader of serviceLoaders) keys.set(await loader.load(), loader.key);
  const parts = await operationParts();
  return buildCommandIndex(getRegistry(), (service) => {
    const key = keys.get(service);
    if (key === undefined) throw new Error(`service ${service.name || '(top level)'} is in services/index.ts but not in services/catalog.ts`);
    return key;
  }, (op) => parts.get(op));
}

/**
 * Writes the index of the full registry into `dir` (the bundle's chunk folder); returns
 * the file written. Written aside and renamed, so a CLI run during a build never reads half a file.
 */
export async function writeCommandIndex(dir: string): Promise<string> {
  const file = join(dir, COMMAND_INDEX_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(await registryCommandIndex())}\n`);
  renameSync(partial, file);
  return file;
}
