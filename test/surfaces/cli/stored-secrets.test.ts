/**
 * A stored credential never shows in the CLI's output, even when a command fails before
 * any operation has run (a usage error echoing a word, a batch line that does not parse),
 * that is before the audit hook or the service's client has loaded the credentials: the
 * built CLI against the lab, with the DNS token from the lab's credentials file.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const token = (): string => lab.current.sims.get('dns')?.credentials.values.DNS_TOKEN ?? '';

/** Output that shows no part of the token: neither whole nor cut short. */
function expectNoToken(text: string): void {
  expect(token().length).toBeGreaterThan(16);
  expect(text).not.toContain(token().slice(0, 12));
  expect(text).not.toContain(token().slice(-12));
}

describe('stored credentials in a command that fails before it runs', () => {
  it('a batch line with a bad flag is reported without the token it carries (text and --json)', async () => {
    const line = `dns add-txt leak9 ${token()} --frob\n`;
    for (const args of [['batch'], ['batch', '--json']]) {
      const res = await runCli(args, lab.current.env, { input: line });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stdout).toContain('unknown option --frob for dns add-txt');
      expect(res.stdout).toContain('dns add-txt leak9 *** --frob');
      expectNoToken(res.stdout + res.stderr);
    }
  });

  it('an unexpected argument that is a stored token is not echoed, not even its first 40 characters', async () => {
    const res = await runCli(['dns', 'delete', 'x', token()], lab.current.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unexpected argument "***"');
    expectNoToken(res.stdout + res.stderr);
    const option = await runCli(['dns', 'records', `-${token()}`], lab.current.env);
    expect(option.code).toBe(2);
    expectNoToken(option.stdout + option.stderr);
  });
});
