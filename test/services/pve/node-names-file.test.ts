/**
 * The remembered node names' file is read at a boundary (services/pve/node-names.ts): what
 * it holds is parsed with a schema, a file that is not a JSON object is ignored, an entry
 * that does not parse is ignored and dropped at the next write while the others are kept,
 * and nothing about it is ever an error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_NAMES_CACHE, nodeNamesStore } from '../../../src/services/pve/node-names.js';

const cache = mkdtempSync(join(tmpdir(), 'homelab-node-names-file-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const file = join(cache, 'homelab', NODE_NAMES_CACHE);
const store = (url = 'https://10.5.0.1:8006/api2/json') => {
  const s = nodeNamesStore({ XDG_CACHE_HOME: cache }, url);
  if (!s) throw new Error('no store');
  return s;
};
const stored = (): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('the node names file', () => {
  it('ignores a file that is not a JSON object, and a write replaces it', () => {
    for (const text of ['not json', '[["pve1"]]', '"pve1"', 'null']) {
      store().write(['pve1']);
      writeFileSync(file, text);
      expect(store().read()).toBeUndefined();
    }
    store().write(['pve1', 'pve2']);
    expect(store().read()).toEqual(['pve1', 'pve2']);
  });

  it('reads only entries that parse, and a write keeps the good ones and drops the rest', () => {
    store().write(['pve1']);
    const [ours] = Object.keys(stored());
    const other = store('https://10.9.0.1:8006/api2/json');
    other.write(['alpha']);
    const theirs = Object.keys(stored()).find((k) => k !== ours) as string;
    const good = stored()[theirs];
    writeFileSync(file, JSON.stringify({
      [ours as string]: { names: ['pve1', 'pve2'], at: 'noon' },
      [theirs]: good,
      junk: 5,
      names: { names: ['bad name!'], at: 1 },
      empty: { names: [], at: 2 },
    }));
    // Our entry's `at` is not a time: the whole entry is ignored, not half-used.
    expect(store().read()).toBeUndefined();
    expect(other.read()).toEqual(['alpha']);
    store().write(['pve3']);
    expect(Object.keys(stored()).sort()).toEqual([ours, theirs].sort());
    expect(store().read()).toEqual(['pve3']);
    expect(other.read()).toEqual(['alpha']);
  });
});
