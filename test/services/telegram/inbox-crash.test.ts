/**
 * A clear killed at any point keeps every entry exactly once. A child process (a bundle of
 * the inbox's source) claims the inbox and puts its entries back, as `telegram inbox clear`
 * does when its output fails, and is killed (SIGKILL) just before its n-th change to the
 * inbox's files (a write, rename or unlink), for every n until it finishes. After each kill,
 * the inbox shows every entry once, in order, and the next clear takes each once and leaves
 * no file behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEntry, inboxPath, readInbox, takeInbox, type InboxEntry } from '../../../src/services/telegram/inbox.js';

const work = mkdtempSync(join(tmpdir(), 'inbox-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The child: kills itself before its `HOMELAB_CRASH_AT`-th change to an inbox file once armed (`arm` names the phase). */
const CHILD = `
declare const require: (id: string) => Record<string, unknown>;
import { appendInbox, claimInbox, type InboxEntry } from './src/services/telegram/inbox.ts';
const fsp = require('node:fs/promises');
const crashAt = Number(process.env.HOMELAB_CRASH_AT);
let armed = false;
let changes = 0;
for (const name of ['writeFile', 'appendFile', 'rename', 'unlink', 'rm']) {
  const real = fsp[name] as (...args: unknown[]) => unknown;
  fsp[name] = (...args: unknown[]) => {
    const path = String(args[0]);
    if (armed && /\\/inbox/.test(path) && !path.includes('.lock') && ++changes === crashAt) process.kill(process.pid, 'SIGKILL');
    return real(...args);
  };
}
const [data, phase, arrivals] = process.argv.slice(2) as [string, string, string];
const entry = (text: string): InboxEntry => ({ time: '2026-05-01T10:00:00.000Z', user: { id: 1001, name: 'Alice' }, text });
void (async () => {
  armed = phase === 'claim';
  const claim = await claimInbox(data);
  armed = false;
  if (arrivals === 'yes') await appendInbox(data, entry('arrived meanwhile'));
  armed = true;
  await claim.settle(false);
})();
`;

const bundle = join(work, 'child.cjs');
buildSync({ stdin: { contents: CHILD, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });

const entry = (text: string): InboxEntry => ({ time: '2026-05-01T10:00:00.000Z', user: { id: 1001, name: 'Alice' }, text });

/** Runs the child; resolves whether it was killed (false: it finished). */
function runChild(data: string, crashAt: number, phase: string, arrivals: boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, data, phase, arrivals ? 'yes' : 'no'], { env: { ...process.env, HOMELAB_CRASH_AT: String(crashAt) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`the child failed (${code}): ${stderr}`));
    });
  });
}

const scenarios = [
  { name: 'puts back a lone file (nothing arrived meanwhile)', phase: 'settle', arrivals: false, leftover: false },
  { name: 'puts back before what arrived meanwhile', phase: 'settle', arrivals: true, leftover: false },
  { name: 'puts back what it took over from a crashed clear', phase: 'settle', arrivals: true, leftover: true },
  { name: 'takes over a crashed clear\'s file and takes the inbox', phase: 'claim', arrivals: false, leftover: true },
];

describe('a clear killed at any point', () => {
  it.each(scenarios)('$name: every entry stays, once, in order', async ({ phase, arrivals, leftover }) => {
    const expected = [...(leftover ? ['left by a crashed clear'] : []), 'first', 'second', ...(arrivals ? ['arrived meanwhile'] : [])];
    let crashes = 0;
    for (let n = 1; n < 30; n++) {
      const data = mkdtempSync(join(work, 'data-'));
      const dir = join(data, 'telegram');
      mkdirSync(dir, { recursive: true });
      if (leftover) writeFileSync(join(dir, `inbox.taken-${Date.now()}-${spawnSync(process.execPath, ['-e', '']).pid}-abc-inbox`), formatEntry(entry('left by a crashed clear')));
      writeFileSync(inboxPath(data), formatEntry(entry('first')) + formatEntry(entry('second')));
      const killed = await runChild(data, n, phase, arrivals);
      // The killed child held the inbox lock: taken over at once rather than after its 10 s.
      rmSync(`${inboxPath(data)}.lock`, { recursive: true, force: true });
      expect((await readInbox(data)).map((e) => e.text), `killed before change ${n}`).toEqual(expected);
      expect((await takeInbox(data)).map((e) => e.text), `killed before change ${n}`).toEqual(expected);
      expect(readdirSync(dir).filter((f) => f.startsWith('inbox')), `killed before change ${n}`).toEqual([]);
      if (!killed) break;
      crashes++;
    }
    expect(crashes).toBeGreaterThan(0);
  }, 60_000);
});
