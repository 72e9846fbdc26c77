/**
 * A secret prompt (`serve passwd`, init's credentials) never shows what is typed, whatever
 * keys are pressed: Backspace, arrows, Home, Ctrl-U and Ctrl-W make readline redraw the
 * line, and a redraw once wrote the question with the line typed so far. Checked on a real
 * terminal (a pty from util-linux `script`), with stderr on it and with stderr redirected
 * (`2>>log`: the question goes to /dev/tty), and the password set is the one edited.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPasswords, verifyPassword } from '../../../src/surfaces/web/passwords.js';
import { CLI, cliEnv } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'homelab-secret-prompt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs the shell line `line` (`$HOMELAB` in it: the built CLI) on a pty; each time the next
 * `steps` question appears on it, types that step's keys. Resolves to the shell's exit code
 * and what the terminal showed before the outcome line.
 */
function onTerminal(line: string, env: Record<string, string>, steps: { question: string; keys: string }[]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = line.replaceAll('$HOMELAB', `'${process.execPath}' '${CLI}'`);
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...cliEnv(), TERM: 'xterm', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let from = 0;
    let step = 0;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${line} did not end; it showed:\n${screen}`)); }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      const next = steps[step];
      if (!next) return;
      const at = screen.indexOf(next.question, from);
      if (at < 0) return;
      from = at + next.question.length;
      step += 1;
      child.stdin.write(next.keys);
    });
    child.on('error', reject);
    // Up to the outcome line: a temporary folder's name in it is random text.
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, screen: screen.split('Password of ')[0] ?? '' }); });
  });
}

const BACKSPACE = '\x7f';
const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const HOME = '\x1b[H';
const END = '\x1b[F';
const CTRL_U = '\x15';
const CTRL_W = '\x17';

/** Keys that make readline redraw the line (one chunk, as a fast typist's), ending as FINAL and Enter. */
const EDITED = `Sup3rS${BACKSPACE}ecretPW${LEFT}${LEFT}${RIGHT}${END}${CTRL_U}oldWord ${CTRL_W}Zq9-final-Woxx${BACKSPACE}${BACKSPACE}rd${HOME}${END}\r`;
const FINAL = 'Zq9-final-Word';
/** Pieces of everything typed: none may ever be on the screen. */
const TYPED = ['Sup3r', 'ecret', 'oldWord', 'Zq9', 'final', 'Woxx', 'Word'];

describe('a secret prompt', () => {
  for (const [where, redirect] of [['on stderr', ''], ['on /dev/tty (stderr redirected)', ' 2>>"$LOG"']] as const) {
    it(`shows nothing typed, through Backspace, arrows, Home/End, Ctrl-U and Ctrl-W, ${where}`, async () => {
      const config = mkdtempSync(join(root, 'config-'));
      const log = join(root, `log-${redirect ? 'tty' : 'stderr'}`);
      const env = { HOMELAB_CONFIG_HOME: config, LOG: log };
      const { code, screen } = await onTerminal(`$HOMELAB serve passwd --user sectest${redirect}; exit $?`, env, [
        { question: 'New dashboard password for sectest: ', keys: EDITED },
        { question: 'Repeat it: ', keys: `${FINAL}${BACKSPACE}d\r` },
      ]);
      expect(code, screen).toBe(0);
      expect(screen).toContain('Repeat it: ');
      for (const piece of TYPED) expect(screen, `"${piece}" was shown`).not.toContain(piece);
      if (redirect) expect(readFileSync(log, 'utf8')).toBe('');
      expect(await verifyPassword(FINAL, loadPasswords({ HOMELAB_CONFIG_HOME: config })?.get('sectest'))).toBe(true);
    });
  }

  it('shows nothing of a pasted text holding a line break', async () => {
    const config = mkdtempSync(join(root, 'config-'));
    const { code, screen } = await onTerminal('$HOMELAB serve passwd --user sectest; exit $?', { HOMELAB_CONFIG_HOME: config }, [
      { question: 'New dashboard password for sectest: ', keys: 'Pasted1-Word\nsecond-Line' },
      // Ctrl-U first: the paste's second line is no part of this answer, wherever it went.
      { question: 'Repeat it: ', keys: `${CTRL_U}Pasted1-Word${LEFT}${RIGHT}\r` },
    ]);
    expect(code, screen).toBe(0);
    for (const piece of ['Pasted', 'second', 'Line']) expect(screen, `"${piece}" was shown`).not.toContain(piece);
    expect(await verifyPassword('Pasted1-Word', loadPasswords({ HOMELAB_CONFIG_HOME: config })?.get('sectest'))).toBe(true);
  });
});
