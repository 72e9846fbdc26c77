/**
 * The end of input (Ctrl-D on an empty line) at a terminal question is no answer, as Ctrl-C
 * is not one: at a `[y/N]` confirmation it declines (exit 1, "not confirmed", nothing
 * done); at any other question (`init`, `serve passwd`'s hidden input) it ends the run with
 * one line and exit 130, nothing written. Before, the question never settled and the process
 * ended silently with exit 0. Run on a real terminal (a pty from util-linux `script`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { cliEnv } from '../../helpers/cli.js';
import { cliOnTerminal, ENTER } from '../../helpers/init-terminal.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });
const CTRL_D = '\x04';

/** `homelab ...args` on a pseudo-terminal in the lab; what it showed has its carriage returns removed. */
async function onTerminal(args: string[], keys: [question: string, typed: string][], env: Record<string, string> = {}): Promise<{ code: number | null; screen: string }> {
  const run = await cliOnTerminal(args, keys, { ...cliEnv(), TERM: 'dumb', ...lab.current.env, ...env }, 20_000);
  return { code: run.code, screen: run.screen.replace(/\r/g, '') };
}

const posts = (): number => lab.current.sims.get('pve')?.requests.filter((r) => r.method === 'POST').length ?? 0;
const records = (name: string): number => (lab.current.sims.get('dns') as DnsSim).store.records.filter((r) => r.name === name).length;

describe('Ctrl-D at a question', () => {
  const roots: string[] = [];
  afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });
  const freshDir = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'homelab-eof-'));
    roots.push(root);
    return root;
  };

  it('declines a [y/N] confirmation: exit 1, not confirmed, nothing done (pve stop, dns delete)', async () => {
    const before = posts();
    const stop = await onTerminal(['pve', 'stop', '102'], [['[y/N]', CTRL_D]]);
    expect(stop.code, stop.screen).toBe(1);
    expect(stop.screen).toContain('homelab: not confirmed; nothing was done');
    expect(posts()).toBe(before);

    const had = records('nas.home.lan');
    expect(had).toBeGreaterThan(0);
    const del = await onTerminal(['dns', 'delete', 'nas'], [['[y/N]', CTRL_D]]);
    expect(del.code, del.screen).toBe(1);
    expect(del.screen).toContain('Delete all records of nas');
    expect(del.screen).toContain('homelab: not confirmed; nothing was done');
    expect(records('nas.home.lan')).toBe(had);
  });

  it("declines a batch's confirmation: exit 1, no line run", async () => {
    const file = join(freshDir(), 'lines');
    writeFileSync(file, 'pve stop 102\n');
    const before = posts();
    const { code, screen } = await onTerminal(['batch', file], [['[y/N]', CTRL_D]]);
    expect(code, screen).toBe(1);
    expect(screen).toContain('homelab: not confirmed; nothing was run');
    expect(posts()).toBe(before);
  });

  it('ends serve passwd at either hidden question: exit 130, one line, no password file', async () => {
    for (const keys of [
      [['password for bob', CTRL_D]],
      [['password for bob', `secret-one${ENTER}`], ['Repeat it', CTRL_D]],
    ] as [string, string][][]) {
      const root = freshDir();
      const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
      const { code, screen } = await onTerminal(['serve', 'passwd', '--user', 'bob'], keys, env);
      expect(code, screen).toBe(130);
      expect(screen.trim().split('\n').at(-1)).toBe('homelab: no answer: the input ended; no password was set');
      expect(screen).not.toContain('secret-one');
      expect(existsSync(join(env.HOMELAB_CONFIG_HOME, 'web', 'passwords'))).toBe(false);
    }
  });

  it('ends init at its first question as Ctrl-C does: exit 130, one line, nothing written', async () => {
    const root = freshDir();
    const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data'), HOME: root };
    const config = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(config, 'watch:\n  interval: 5m\n');
    const { code, screen } = await onTerminal(['init'], [['Configure pve', CTRL_D]], env);
    expect(code, screen).toBe(130);
    expect(screen.trim().split('\n').map((l) => l.trim())).toEqual(['Configure pve (Proxmox VE)? [y/N]', 'homelab: init interrupted; nothing was written']);
    expect(readFileSync(config, 'utf8')).toBe('watch:\n  interval: 5m\n');
  });
});
