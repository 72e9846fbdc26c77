/**
 * The CLI's command index (written by `npm run build` into dist/) against the registry:
 * every operation's id, summary, usage, fields (flags, kinds, choices, defaults,
 * descriptions), risk, surfaces and examples, and every service's name, aliases and
 * summary, must agree; and the lazy service catalog must load exactly the modules of
 * the eager registry, in its order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fieldsOf, usageLine } from '../../../src/core/args.js';
import type { ServiceModule } from '../../../src/core/operation.js';
import { serviceLoaders } from '../../../src/services/catalog.js';
import { SERVICE_GROUPS } from '../../../src/services/groups.js';
import { getRegistry, serviceModules } from '../../../src/services/index.js';
import { registryCommandIndex } from '../../../src/surfaces/cli/command-index-build.js';
import { CommandIndex, loadOperation, type CommandIndexData } from '../../../src/surfaces/cli/command-index.js';

const BUILT = fileURLToPath(new URL('../../../dist/chunks/command-index.json', import.meta.url));

function built(): CommandIndexData {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
  return JSON.parse(readFileSync(BUILT, 'utf8')) as CommandIndexData;
}

describe('command index', () => {
  it('the built index agrees with the registry on every operation and service', async () => {
    const index = built();
    const fresh = await registryCommandIndex();
    const registry = getRegistry();
    expect(index.operations.map((o) => o.id)).toEqual(registry.all().map((o) => o.id));
    // Compared operation by operation, so a disagreement names the operation.
    for (const op of fresh.operations) expect(index.operations.find((o) => o.id === op.id), op.id).toEqual(op);
    expect(index.services).toEqual(fresh.services);
    expect(index).toEqual(fresh);
  });

  it('holds what help and dispatch need, as the registry defines it', () => {
    const index = new CommandIndex(built());
    for (const op of getRegistry().all()) {
      const entry = index.get(op.id);
      expect(entry, op.id).toBeDefined();
      // Shell completion's value kinds come from the operation's service (ServiceModule.completeFields).
      const kinds = getRegistry().services.find((s) => s.operations.includes(op))?.completeFields ?? {};
      const fields = fieldsOf(op).map((f) => (kinds[f.key] ? { ...f, complete: kinds[f.key] } : f));
      expect({ summary: entry?.summary, risk: entry?.risk, args: entry?.args, usage: entry?.usage, fields: entry?.fields }).toEqual(JSON.parse(JSON.stringify({
        summary: op.summary, risk: op.risk, args: op.args, usage: usageLine(op), fields,
      })));
    }
    expect(index.get('pve.start')?.fields.find((f) => f.key === 'vmid')?.complete).toEqual(['pve.guest']);
    const add = index.get('dns.add');
    expect(add?.fields.find((f) => f.key === 'ttl')).toMatchObject({ flag: 'ttl', kind: 'number', optional: true });
    expect(index.get('pve.list')?.fields.find((f) => f.key === 'type')).toMatchObject({ kind: 'enum', choices: ['qemu', 'lxc'] });
  });

  it('lists in services/groups every group the catalog has, in its order', () => {
    expect(serviceLoaders.map((l) => l.group).filter((g) => g !== '')).toEqual([...SERVICE_GROUPS]);
  });

  it('names the one file of a split module that defines each of its operations, and that file gives the registry\'s operation', async () => {
    const index = new CommandIndex(built());
    const registry = getRegistry();
    const split = serviceLoaders.filter((l) => l.parts).map((l) => l.key);
    expect(split).toContain('pve');
    for (const entry of index.all()) {
      if (!split.includes(entry.module)) {
        expect(entry.part, entry.id).toBeUndefined();
        continue;
      }
      expect(entry.part, entry.id).toEqual(expect.any(Number));
      expect(await loadOperation(entry), entry.id).toBe(registry.get(entry.id));
    }
    // A stale index that names the wrong file still finds the operation (in its whole module).
    const list = index.get('pve.list');
    expect(await loadOperation({ ...list!, part: 5 })).toBe(registry.get('pve.list'));
  });

  it('resolves words exactly as the registry does (aliases, sub-commands, top-level commands)', () => {
    const index = new CommandIndex(built());
    const registry = getRegistry();
    const inputs = [
      ...registry.all().map((op) => [...op.id.split('.'), 'x', '--json']),
      ['npm-api', 'list'], ['kuma', 'add', 'http', 'a', 'b'], ['telegram', 'inbox', 'clear'], ['status'], ['audit', '--since', '1h'],
      ['pve'], ['pve', 'nosuch'], ['nosuch'], ['shims'], ['watch'],
    ];
    for (const words of inputs) {
      const a = registry.resolve(words);
      const b = index.resolve(words);
      expect(b && { id: b.op.id, rest: b.rest }, words.join(' ')).toEqual(a && { id: a.op.id, rest: a.rest });
    }
    expect(index.service('npm-api')?.name).toBe('proxy');
  });

  it('the lazy catalog loads the same service modules as the eager registry, in its order', async () => {
    const loaded: ServiceModule[] = [];
    for (const loader of serviceLoaders) loaded.push(await loader.load());
    expect(loaded).toEqual(serviceModules);
    loaded.forEach((m, i) => expect(m, serviceLoaders[i]?.key).toBe(serviceModules[i]));
    expect(new Set(serviceLoaders.map((l) => l.key)).size).toBe(serviceLoaders.length);
  });
});
