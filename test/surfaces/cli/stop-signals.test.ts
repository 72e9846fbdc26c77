/**
 * SIGTERM (`kill`, `timeout`, systemd) stops a one-shot command as Ctrl-C does: a running
 * `expose` is cancelled and its done steps undone, a batch stops after the line it cut off,
 * and a confirmation on a terminal declines (a single command's, and a batch's one question).
 * The built binary runs against the lab's simulators over real sockets; what is checked is
 * what the services hold afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCliSignalled, type CliResult } from '../../helpers/cli.js';
import { useHubLab } from '../../services/hub/hub-lab.js';

const { env, dns, proxy, pve, hostFor } = useHubLab();

const records = (name: string) => dns().store.records.filter((r) => r.name === name);

/** Runs the CLI with `input` on stdin and sends it SIGTERM once `when` holds. */
const runTerminated = (args: string[], when: () => boolean, input = ''): Promise<CliResult> => runCliSignalled(args, env(), 'SIGTERM', when, { input });

/** Whether NPM has been sent the proxy host for `domain`. */
const proxyPosted = (domain: string) => (): boolean => proxy().requests.some((r) => r.method === 'POST' && r.path === '/api/nginx/proxy-hosts' && r.body.includes(domain));

/** Runs `fn` with NPM answering 700 ms late, so a signal lands while the proxy step waits. */
async function withSlowProxy<T>(fn: () => Promise<T>): Promise<T> {
  proxy().faults.latencyMs = 700;
  try {
    return await fn();
  } finally {
    // Without the undo the CLI is gone before NPM handles the POST: let the simulator finish it.
    await new Promise((r) => setTimeout(r, 1000));
    proxy().faults.latencyMs = 0;
  }
}

describe('SIGTERM during a command', () => {
  it('expose: cancelled like Ctrl-C, the done steps undone, one line, exit 1', async () => {
    const res = await withSlowProxy(() => runTerminated(['expose', 'term1', 'forgejo:3000', '--yes'], proxyPosted('term1.home.lan')));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('interrupted');
    expect(res.stderr).toContain('1 step undone');
    expect(hostFor('term1.home.lan')).toBeUndefined();
    expect(records('term1.home.lan')).toEqual([]);
  });

  it('batch: the running line is cancelled and undone, the lines after it do not run', async () => {
    const lines = 'expose term2 forgejo:3000\ndns add-txt term2-after x\n';
    const res = await withSlowProxy(() => runTerminated(['batch', '--yes'], proxyPosted('term2.home.lan'), lines));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('interrupted');
    expect(hostFor('term2.home.lan')).toBeUndefined();
    expect(records('term2.home.lan')).toEqual([]);
    expect(records('term2-after.home.lan')).toEqual([]);
  });
});

/**
 * Runs the CLI with `args` on a pseudo-terminal (util-linux `script`; the shell prints its pid,
 * then execs homelab in it) and sends it SIGTERM once it asks `[y/N]`. Resolves what it showed
 * and its exit code (`script -e` gives the command's).
 */
function termAtQuestion(args: string[]): Promise<{ shown: string; code: number | null }> {
  const words = args.map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', `echo "pid=$$"; exec '${process.execPath}' '${CLI}' ${words}`, '/dev/null'], {
    env: { ...cliEnv(), TERM: 'dumb', ...env() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    let sent = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no end; it showed:\n${text}`)); }, 20_000);
    const onData = (d: Buffer): void => {
      text += d.toString();
      const pid = /pid=(\d+)/.exec(text)?.[1];
      if (!sent && pid && /\[y\/N\]/.test(text)) { sent = true; process.kill(Number(pid), 'SIGTERM'); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => { clearTimeout(timer); resolve({ shown: text, code }); });
  });
}

describe('SIGTERM at a confirmation on a terminal', () => {
  const posts = () => pve().requests.filter((r) => r.method === 'POST').length;

  it('declines it: nothing done, exit 1 (the run does not wait on)', async () => {
    const before = posts();
    const { shown, code } = await termAtQuestion(['pve', 'stop', '203']);
    expect(shown, shown).toContain('not confirmed; nothing was done');
    expect(code, shown).toBe(1);
    expect(posts()).toBe(before);
  });

  it('declines homelab batch\'s one question too: no line runs, one line, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stop-signals-batch-'));
    const file = join(dir, 'lines.txt');
    writeFileSync(file, 'pve stop 203\n');
    const before = posts();
    try {
      const { shown, code } = await termAtQuestion(['batch', file]);
      expect(shown, shown).toContain('Destructive lines in this batch:');
      expect(shown, shown).toContain('not confirmed; nothing was run');
      expect(code, shown).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(posts()).toBe(before);
  });
});
