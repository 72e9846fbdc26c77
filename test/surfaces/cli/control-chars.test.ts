/**
 * Text from data never drives the terminal: the built CLI against the simulators, with a
 * guest description and batch lines carrying escape sequences (clear screen, set the
 * window title, BEL), a line break, a 300 KB line and binary bytes. What reaches stdout
 * shows them visibly (`␛`, `␇`, `⏎`), keeps every table row one line, and echoes a batch
 * line cut short; `--json` keeps the data as it is (escaped by JSON).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns', 'kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
/** Any C0 control but line feed, DEL, or a C1 control. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('control characters from data', () => {
  it('pve config shows a description with escape sequences and a line break visibly, on one row', async () => {
    const hostile = 'x\u001b[2J\u001b]0;pwned\u0007y\nsecond line\u009b31m';
    const set = await runCli(['pve', 'set', '106', '--description', hostile, '--yes'], env());
    expect(set.code, set.stderr).toBe(0);
    const shown = await runCli(['pve', 'config', '106'], env());
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).not.toMatch(CONTROL);
    const row = shown.stdout.split('\n').find((l) => l.includes('pwned'));
    // Visible, and the second line of the value on the same row (`⏎`, or a space where pve's render flattens it).
    expect(row).toMatch(/x␛\[2J␛\]0;pwned␇y[⏎ ]second line\ufffd31m/);
    // The JSON keeps the value as stored.
    const json = await runCliJson<Record<string, unknown>>(['pve', 'config', '106'], env());
    expect(JSON.stringify(json)).toContain(JSON.stringify(hostile).slice(1, -1));
  });

  it('batch echoes a line with escape sequences visibly, never raw', async () => {
    const line = 'dns add x\u001b[31mRED\u001b]0;title\u0007 10.5.0.1';
    const r = await runCli(['batch', '--keep-going'], env(), { input: `${line}\n` });
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('dns add x␛[31mRED␛]0;title␇ 10.5.0.1');
    expect(r.stderr).not.toMatch(CONTROL);
  });

  it('batch cuts a 300 KB line in its echo and shows binary input safely', async () => {
    const long = `dns add ${'a'.repeat(300_000)} 10.5.0.1`;
    const r = await runCli(['batch', '--keep-going'], env(), { input: `${long}\n` });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBeLessThan(2_000);
    expect(r.stdout).toMatch(/^failed +1 +dns add a+…: /m);
    const binary = Buffer.from([0x64, 0x6e, 0x73, 0x20, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x08, 0x7f, 0x9b, 0xff, 0xfe, 0x0d, 0x0a]).toString('latin1');
    const b = await runCli(['batch', '--keep-going'], env(), { input: binary });
    expect(b.code).toBe(2);
    expect(b.stdout).not.toMatch(CONTROL);
    expect(b.stdout).toMatch(/^failed +1 +dns ␀␛\[2J␇␈␡/m);
  });

  it('batch --json keeps the command whole (JSON escapes it)', async () => {
    const line = 'dns add x\u001b[31m 10.5.0.1';
    const r = await runCli(['batch', '--json', '--keep-going'], env(), { input: `${line}\n` });
    expect(r.stdout).not.toMatch(CONTROL);
    expect((JSON.parse(r.stdout.trim()) as { command: string }).command).toBe(line);
  });

  it("a confirmation on a terminal shows a stored name's escape sequences visibly (declined: nothing deleted)", async () => {
    const monitors = await runCliJson<{ id: number; name: string }[]>(['kuma', 'list'], env());
    const media = monitors.find((m) => m.name === 'media');
    expect(media).toBeDefined();
    const hostile = 'media\u001b]0;pwned\u0007\u001b[2J';
    expect((await runCli(['kuma', 'edit', String(media?.id), '--name', hostile], env())).code).toBe(0);
    // On a pseudo-terminal (util-linux `script`), so the CLI asks; "n" declines.
    const screen = await new Promise<string>((resolve, reject) => {
      // Named as stored: the question repeats the name.
      const child = spawn('script', ['-qec', `'${process.execPath}' '${CLI}' kuma delete "$HOSTILE"`, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', HOME: lab.current.env.HOMELAB_DATA_HOME ?? '/tmp', NO_COLOR: '1', TERM: 'dumb', HOSTILE: hostile, ...env() },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let shown = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no end; it showed:\n${shown}`)); }, 20_000);
      const onData = (d: Buffer): void => {
        shown += d.toString();
        if (/\[y\/N\]/.test(shown) && !child.stdin.writableEnded) child.stdin.end('n\r');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('close', () => { clearTimeout(timer); resolve(shown); });
    });
    expect(screen, screen).toContain('media␛]0;pwned␇␛[2J');
    expect(screen).not.toContain('\u001b]0;pwned');
    expect((await runCliJson<{ id: number }[]>(['kuma', 'list'], env())).some((m) => m.id === media?.id)).toBe(true);
  });
});
