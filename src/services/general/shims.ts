/**
 * @module services/general/shims
 * `homelab shims install [DIR]` (default ~/bin): small executables named like the
 * original helpers (`pve`, `npm-api`, `dns`, `pbs`, `beszel`, `kuma`, `updates`,
 * `telegram`) that run `homelab <service> "$@"`. Each carries a marker line; a file
 * without it was not written by homelab and is never overwritten.
 */
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { expandHome } from '../../core/paths.js';
import { table, text, toned, type Block } from '../../core/render.js';
import { shimTargets } from './service-specs.js';

/** The marker line every shim carries. */
export const SHIM_MARKER = '# homelab-shim: written by `homelab shims install`; safe to delete or rewrite';

/** What happened to one shim. */
export interface ShimOutcome {
  name: string;
  path: string;
  /** `written` (new), `updated` (an older shim of ours), `unchanged`, `skipped` (a file homelab did not write). */
  action: 'written' | 'updated' | 'unchanged' | 'skipped';
  runs: string;
}

/** JSON shape of `shims install`. */
export interface ShimsResult {
  dir: string;
  /** How the shims start homelab. */
  command: string;
  onPath: boolean;
  shims: ShimOutcome[];
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** How a shim should start homelab: `homelab` when it is on PATH, else this node and this CLI script. */
export function homelabCommand(env: NodeJS.ProcessEnv, argv1: string | undefined = process.argv[1]): string {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, 'homelab'), constants.X_OK);
      return 'homelab';
    } catch {
      // not in this directory
    }
  }
  return argv1 ? `${quote(process.execPath)} ${quote(resolve(argv1))}` : 'homelab';
}

/** The text of a shim. */
export function shimText(command: string, group: string): string {
  return `#!/bin/sh\n${SHIM_MARKER}\nexec ${command} ${group} "$@"\n`;
}

/** Writes the shims into `dir`. */
export function installShims(dir: string, command: string, env: NodeJS.ProcessEnv): ShimsResult {
  mkdirSync(dir, { recursive: true });
  const shims = shimTargets.map(({ name, group }): ShimOutcome => {
    const path = join(dir, name);
    const wanted = shimText(command, group);
    const base = { name, path, runs: `homelab ${group}` };
    if (existsSync(path)) {
      let current: string;
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        return { ...base, action: 'skipped' };
      }
      if (!current.split('\n').includes(SHIM_MARKER)) return { ...base, action: 'skipped' };
      if (current === wanted) return { ...base, action: 'unchanged' };
      writeFileSync(path, wanted);
      chmodSync(path, 0o755);
      return { ...base, action: 'updated' };
    }
    writeFileSync(path, wanted, { mode: 0o755 });
    chmodSync(path, 0o755);
    return { ...base, action: 'written' };
  });
  const onPath = (env.PATH ?? '').split(delimiter).some((p) => p && resolve(expandHome(p)) === resolve(dir));
  return { dir, command, onPath, shims };
}

/** `shims install`. */
export const shimsInstall = defineOperation({
  id: 'shims.install',
  summary: 'Install the original helper names (pve, npm-api, dns, pbs, beszel, kuma, updates, telegram) as shims',
  description: `Each shim runs \`homelab <service> "$@"\`. Files in DIR that homelab did not write are left alone.`,
  args: ['dir'],
  input: z.object({ dir: z.string().min(1).default('~/bin').describe('directory for the shims') }),
  risk: 'change',
  surfaces: ['cli'],
  examples: ['shims install', 'shims install /usr/local/bin'],
  confirm: (input) => `Write helper shims into ${input.dir}`,
  async run(ctx, input): Promise<ShimsResult> {
    const expanded = expandHome(input.dir);
    const dir = isAbsolute(expanded) ? expanded : resolve(expanded);
    return installShims(dir, homelabCommand(ctx.env), ctx.env);
  },
  render: (r) => {
    const blocks: Block[] = [table(['shim', 'runs', 'result'], r.shims.map((s) => [
      s.name, s.runs,
      toned(s.action === 'skipped' ? 'skipped: a file homelab did not write' : s.action, s.action === 'skipped' ? 'warn' : s.action === 'unchanged' ? 'dim' : 'ok'),
    ]), { title: `shims in ${r.dir}` })];
    if (!r.onPath) blocks.push(text(`${r.dir} is not on PATH: add it (export PATH="${r.dir}:$PATH") to use the shims`, 'warn'));
    return blocks;
  },
});
