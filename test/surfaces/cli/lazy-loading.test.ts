/**
 * What the built CLI runs: help runs no code of zod, yaml or any service module; an
 * operation runs its own service module's code and no other's. The CLI is one bundle, so
 * "loads" means "runs": checked on the real bundle with V8's own coverage (NODE_V8_COVERAGE),
 * mapping every function that ran to the source it came from (the bundle marks each source
 * with a `// src/…` or `// node_modules/…` line).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_WRAPPER_PREFIX } from '../../../src/surfaces/cli/code-cache.js';
import { CLI } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });
const SERVICES = ['pve', 'dns', 'proxy', 'pbs', 'beszel', 'kuma', 'audit', 'watch', 'telegram', 'updates', 'setup'];
const work = mkdtempSync(join(tmpdir(), 'homelab-lazy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Coverage { result: { url: string; functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[] }

/**
 * Each source's start offset in the bundle, in order: `source` is `src/services/<service>`,
 * `src/<folder>` or `node_modules/<package>`, `file` the source file (`src/services/pve/schemas.ts`).
 */
function sourceMarks(bundle: string): { at: number; source: string; file: string }[] {
  const marks: { at: number; source: string; file: string }[] = [];
  for (const m of bundle.matchAll(/^\/\/ ((src\/services\/[^/\n]+(?=\/)|src\/[^/\n]+|node_modules\/(?:@[^/\n]+\/)?[^/\n]+)[^\n]*)/gm)) marks.push({ at: m.index, source: m[2] as string, file: m[1] as string });
  return marks;
}

/** Runs the CLI under V8 coverage; returns its exit code, the sources and the source files whose functions ran. */
function ranSources(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; sources: Set<string>; files: Set<string> }> {
  const coverage = mkdtempSync(join(work, 'cov-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', XDG_CACHE_HOME: join(work, 'cache'), NODE_V8_COVERAGE: coverage, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const sources = new Set<string>();
      const files = new Set<string>();
      for (const name of readdirSync(coverage)) {
        for (const script of (JSON.parse(readFileSync(join(coverage, name), 'utf8')) as Coverage).result) {
          if (!/\/dist\/chunks\/cli-[^/]+\.cjs$/.test(script.url)) continue;
          const bundle = readFileSync(fileURLToPath(script.url), 'utf8');
          const marks = sourceMarks(bundle);
          for (const fn of script.functions) {
            const range = fn.ranges[0];
            if (!range || range.count === 0) continue;
            const at = range.startOffset - BUNDLE_WRAPPER_PREFIX.length;
            if (at <= 0 && range.endOffset - BUNDLE_WRAPPER_PREFIX.length >= bundle.length) continue; // the whole bundle
            const mark = marks.findLast((m) => m.at <= at);
            if (mark) sources.add(mark.source);
            if (mark) files.add(mark.file);
          }
        }
      }
      resolve({ code, sources, files });
    });
  });
}

const services = (sources: Set<string>): string[] => SERVICES.filter((s) => sources.has(`src/services/${s}`));

describe('lazy loading in the built CLI', () => {
  it('help runs no zod, no yaml and no service module', async () => {
    for (const args of [['--help'], ['pve', '--help'], ['pve', 'list', '--help'], ['dns', 'add', '--help']]) {
      const { code, sources } = await ranSources(args);
      expect(code, args.join(' ')).toBe(0);
      expect(sources.has('src/surfaces'), args.join(' ')).toBe(true);
      expect([...sources].filter((s) => s === 'node_modules/zod' || s === 'node_modules/yaml' || s.startsWith('src/services/')), args.join(' ')).toEqual([]);
    }
  });

  it('an operation runs its own service module and no other', async () => {
    const pve = await ranSources(['pve', 'list', '--json'], lab.current.env);
    expect(pve.code).toBe(0);
    expect(services(pve.sources)).toEqual(['pve']);
    expect(pve.sources.has('node_modules/zod')).toBe(true);
    const dns = await ranSources(['dns', 'records', '--json'], lab.current.env);
    expect(dns.code).toBe(0);
    expect(services(dns.sources)).toEqual(['dns']);
  });

  it('a pve command runs the one file of the pve module that defines it, not the other operations', async () => {
    const pve = await ranSources(['pve', 'list', '--json'], lab.current.env);
    expect(pve.code).toBe(0);
    const operationFiles = [...pve.files].filter((f) => /^src\/services\/pve\/operations-/.test(f));
    expect(operationFiles).toEqual(['src/services/pve/operations-guests.ts']);
    expect(pve.files.has('src/services/pve/service.ts')).toBe(false);
  });
});
