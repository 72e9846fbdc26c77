/**
 * What the built CLI imports: help reads the command index and loads neither zod nor
 * yaml nor any service module; an operation loads its own service module and no other.
 * Checked on the real bundle, by logging every module Node loads (a module hook
 * registered with --import) and reading which sources each bundled chunk holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });
const SERVICES = ['pve', 'dns', 'proxy', 'pbs', 'beszel', 'kuma', 'audit', 'watch', 'telegram', 'updates', 'general'];

const preload = join(mkdtempSync(join(tmpdir(), 'homelab-lazy-')), 'log-loads.mjs');
writeFileSync(preload, [
  "import { register } from 'node:module';",
  `register('data:text/javascript,' + encodeURIComponent("export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('LOADED ' + url + '\\\\n'); return next(url, context); }"));`,
].join('\n'));

/**
 * Runs the CLI; returns its exit code and the sources of every bundled file it loaded:
 * `src/services/<service>` for a service's folder, `src/<folder>` otherwise, `node_modules/<package>`.
 */
function loadedSources(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; sources: Set<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const sources = new Set<string>();
      for (const [, url] of stderr.matchAll(/^LOADED (\S+)$/gm)) {
        if (!url?.includes('/dist/')) continue;
        for (const [, src] of readFileSync(fileURLToPath(url), 'utf8').matchAll(/^\/\/ (src\/services\/[^/\n]+(?=\/)|src\/[^/\n]+|node_modules\/(?:@[^/\n]+\/)?[^/\n]+)/gm)) sources.add(src as string);
      }
      resolve({ code, sources });
    });
  });
}

const services = (sources: Set<string>): string[] => SERVICES.filter((s) => sources.has(`src/services/${s}`));

describe('lazy loading in the built CLI', () => {
  it('help loads no zod, no yaml and no service module', async () => {
    for (const args of [['--help'], ['pve', '--help'], ['pve', 'list', '--help'], ['dns', 'add', '--help']]) {
      const { code, sources } = await loadedSources(args);
      expect(code, args.join(' ')).toBe(0);
      expect(sources.has('src/surfaces'), args.join(' ')).toBe(true);
      expect([...sources].filter((s) => s === 'node_modules/zod' || s === 'node_modules/yaml' || s.startsWith('src/services/')), args.join(' ')).toEqual([]);
    }
  });

  it('an operation loads its own service module and no other', async () => {
    const pve = await loadedSources(['pve', 'list', '--json'], lab.current.env);
    expect(pve.code).toBe(0);
    expect(services(pve.sources)).toEqual(['pve']);
    expect(pve.sources.has('node_modules/zod')).toBe(true);
    const dns = await loadedSources(['dns', 'records', '--json'], lab.current.env);
    expect(dns.code).toBe(0);
    expect(services(dns.sources)).toEqual(['dns']);
  });
});
