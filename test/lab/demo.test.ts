/**
 * The demo always shows SSH targets: on OpenSSH's sshd when it is installed (auto) and on
 * ssh2's Server otherwise (forced here with HOMELAB_LAB_SSH_SERVER=ssh2, as on a bare
 * machine). Runs the built demo (dist/demo.js) as `npm run demo` does, and checks its SSH
 * line, the rows `updates check` prints for the SSH targets, and `check --probe` finding
 * every kind the lab seeds. The ssh2 run has HOMELAB_CONTEXT=office set, a lab the demo's
 * config does not define: the demo runs in its own lab whatever the shell names.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guests } from '../../src/lab/inventory.js';
import { findSshd } from '../../src/lab/ssh-target/sshd.js';
import { cliEnv } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../dist/demo.js', import.meta.url));

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO], { env: { ...cliEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the demo did not finish within 150 s\n${stderr}`)); }, 150_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** The output of one tour step: from its `$ homelab …` line to the next step. */
function step(stdout: string, command: string): string {
  const start = stdout.indexOf(`$ homelab ${command}\n`);
  expect(start, `the demo runs homelab ${command}`).toBeGreaterThan(-1);
  const end = stdout.indexOf('\n# ', start);
  return stdout.slice(start, end === -1 ? undefined : end);
}

/** The caption printed above a tour step (its last `# ` line). */
function captionOf(stdout: string, command: string): string {
  return stdout.slice(0, stdout.indexOf(`$ homelab ${command}\n`)).split('\n').filter((l) => l.startsWith('# ')).at(-1) ?? '';
}

const sshGuests = guests.filter((g) => g.ssh).map((g) => g.name);

describe.each<{ server: string; expected: string; shell: Record<string, string> }>([
  { server: 'auto', expected: findSshd() ? 'OpenSSH sshd' : "ssh2's SSH server (no sshd installed)", shell: {} },
  { server: 'ssh2', expected: "ssh2's SSH server", shell: { HOMELAB_CONTEXT: 'office' } },
])('the demo with HOMELAB_LAB_SSH_SERVER=$server', ({ server, expected, shell }) => {
  it('shows its SSH targets, and updates check has a row for each', async () => {
    const { code, stdout, stderr } = await runDemo({ HOMELAB_LAB_SSH_SERVER: server, ...shell });
    expect(stderr).not.toContain('unknown context');
    expect(code, stderr).toBe(0);
    const ports = sshGuests.map((name) => `${name} :\\d+`).join(', ');
    expect(stdout).toMatch(new RegExp(`^  ssh {6}${sshGuests.length} targets on ${expected.replace(/[()]/g, '\\$&')}: ${ports}$`, 'm'));
    const updates = step(stdout, 'updates check');
    for (const name of sshGuests) expect(updates).toMatch(new RegExp(`^${name} +ssh +Debian GNU/Linux 13 \\(trixie\\) +\\d+ +\\d+ +(yes|no)`, 'm'));
    expect(updates).toMatch(/^forgejo +ssh +.* 7 +4 +yes/m);
    expect(updates).not.toMatch(/unreachable|refused|timed out/);
    // A printed command line can be pasted: words with spaces are quoted.
    expect(stdout).toContain("$ homelab pve backup 120 --notes 'first boot'\n");
    // The caption above backup-coverage names exactly the guests its output lists as not in any job.
    const coverage = step(stdout, 'pve backup-coverage');
    const caption = stdout.slice(0, stdout.indexOf('$ homelab pve backup-coverage\n')).split('\n').filter((l) => l.startsWith('# ')).at(-1) ?? '';
    const notInJob = coverage.slice(coverage.indexOf('Not in any enabled backup job\n')).split('\n\n')[0] ?? '';
    const listed = [...notInJob.matchAll(/^ *(\d+) +(\S+) +\S+( \(tmpl\))? /gm)].map((m) => (m[3] ? 'the template' : `${m[2]} (${m[1]})`));
    expect(listed.length).toBeGreaterThan(1);
    expect(caption).toContain(`No job covers ${listed.slice(0, -1).join(', ')} and ${listed.at(-1)};`);
    // media is started early in the tour: a later caption that still finds it down says it was just started.
    expect(stdout.indexOf('$ homelab pve start 201\n')).toBeLessThan(stdout.indexOf('$ homelab beszel systems\n'));
    for (const command of ['beszel systems', 'kuma status']) {
      expect(step(stdout, command)).toMatch(/^media .* down /m);
      expect(captionOf(stdout, command)).toMatch(/media is still down \(started above|media still down \(started above/);
    }
    const check = step(stdout, 'check --probe');
    expect(check).toMatch(/^7 errors, 9 warnings across 13 guests$/m);
  }, 160_000);
});
