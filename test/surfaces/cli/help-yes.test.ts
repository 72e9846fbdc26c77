/**
 * `--help` lists `--yes` for every command that asks before it runs: a destructive one
 * (unexpose) and a change shown as a plan first (expose, apply), the same rule the CLI
 * confirms by; and not for one that never asks (dns add, plan, and the changes whose
 * preview only states facts: pve resize, migrate, backup).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('--yes in help', () => {
  it('is listed exactly for the commands that ask first', async () => {
    // pve resize, migrate and backup preview their facts (asked on Telegram and the web) but the CLI runs them unasked.
    for (const [command, asks] of [['expose', true], ['apply', true], ['unexpose', true], ['dns add', false], ['plan', false], ['pve resize', false], ['pve migrate', false], ['pve backup', false], ['pve destroy', true]] as const) {
      const res = await runCli([...command.split(' '), '--help']);
      expect(res.code, command).toBe(0);
      expect(res.stdout.includes('--yes, -y'), command).toBe(asks);
    }
    expect((await runCli(['expose', '--help'])).stdout).toContain('(changes state: shows what it will do and asks first; --yes on scripts)');
  });
});
