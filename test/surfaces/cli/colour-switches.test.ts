/**
 * The colour switches (`--color`, `--no-color`, `--color=<switch>`) are the CLI's own: taken
 * anywhere before `--`, the first word included, and never taken from after `--`, where
 * every word belongs to the operation (`dns add-txt name -- --no-color` stores that text).
 * The built CLI against the DNS simulator.
 */
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const sim = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const txt = (name: string): unknown[] => sim().store.records.filter((r) => r.name === `${name}.home.lan` && r.type === 'TXT').map((r) => r.rData.text);

describe('colour switches', () => {
  it('keeps --no-color and --color after -- as the text they are', async () => {
    const res = await runCli(['dns', 'add-txt', 'colour1', '--no-color', '--', '--no-color'], lab.current.env);
    expect(res.code, res.stderr).toBe(0);
    expect(txt('colour1')).toEqual(['--no-color']);
    const two = await runCli(['dns', 'add-txt', 'colour2', '--', 'say', '--color', '--no-color'], lab.current.env);
    expect(two.code, two.stderr).toBe(0);
    expect(txt('colour2')).toEqual(['say --color --no-color']);
  });

  it('takes every colour switch anywhere before --, the first word included', async () => {
    for (const args of [['--color', 'dns', 'records'], ['--no-color', 'dns', 'records'], ['--color=false', 'dns', 'records'], ['dns', '--color=yes', 'records'], ['dns', 'records', '--no-color', '--json'], ['--color', '--help'], ['--no-color', 'batch', '--help']]) {
      const res = await runCli(args, lab.current.env, { input: '' });
      expect(res.stderr, args.join(' ')).toBe('');
      expect(res.code, args.join(' ')).toBe(0);
    }
  });

  it('refuses a colour switch with a value that is not one', async () => {
    const res = await runCli(['--color=maybe', 'dns', 'records'], lab.current.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--color is a switch');
  });
});
