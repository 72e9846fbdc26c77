/**
 * A check's fix line pasted into a shell runs what it says and nothing else, whatever a
 * service named its objects: a Beszel system or Kuma monitor named `ha$(touch pwned)`, with a
 * backtick, a quote or a `;`, is one word of the command (single-quoted, `'\''` inside), never
 * a command of its own. Unit cases for each kind of fix that names a service's object, and the
 * whole way through the built CLI against the lab: `check` prints the fix, the pasted line runs
 * the real `homelab`, which finds the system by its name.
 */
import { describe, expect, it } from 'vitest';
import { guestById } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import type { BeszelSim } from '../../../src/services/beszel/sim/index.js';
import type { CheckResult } from '../../../src/services/hub/check.js';
import { staleRecords } from '../../../src/services/hub/check-findings/addresses.js';
import { expiringCertificates } from '../../../src/services/hub/check-findings/certificates.js';
import { hostsWithDeletedCertificate } from '../../../src/services/hub/check-findings/deleted-certificates.js';
import { disabledManagedHosts, pausedManagedMonitors } from '../../../src/services/hub/check-findings/managed.js';
import { monitorWithoutProxy } from '../../../src/services/hub/check-findings/monitors.js';
import { proxyTargets } from '../../../src/services/hub/check-findings/proxy.js';
import { systemFindings } from '../../../src/services/hub/check-findings/systems.js';
import type { CheckFinding, GuestView, MonitorView } from '../../../src/services/hub/check-findings/types.js';
import { CLI, cliEnv, runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { pasteIntoShell } from '../../helpers/shell-paste.js';

/** A name as hostile as a service may hold: each payload, had it run, leaves a file `p1`…`p5`. */
const HOSTILE = "ha$(touch p1) `touch p2` it's '$(touch p3)' \"$(touch p4)\";touch p5 $HOME";

const guest: GuestView = { vmid: 200, name: 'homeassistant', type: 'qemu', node: 'pve1', status: 'running', template: false, onboot: true, addresses: ['10.5.0.20'] };
const monitor = (over: Partial<MonitorView>): MonitorView => ({ id: null, name: HOSTILE, type: 'http', url: null, hostname: null, active: true, ...over });

/** The command in a finding's fix: from `homelab <words>` up to `end` (the prose after it). */
function command(f: CheckFinding | undefined, words: string, end: string): string {
  const fix = f?.fix ?? '';
  const start = fix.indexOf(`homelab ${words}`);
  const stop = fix.indexOf(end, start);
  if (start < 0 || stop < 0) throw new Error(`no "homelab ${words} … ${end}" in the fix: ${fix}`);
  return fix.slice(start, stop);
}

describe('a fix line that names a service\'s object, pasted into sh', () => {
  it.each<[string, () => CheckFinding | undefined, string, string, string[]]>([
    ['a Beszel system (beszel-down-guest-running)', () => systemFindings([{ name: HOSTILE, host: '10.5.0.20', status: 'down' }], [guest])[0],
      'beszel system', ' shows its last report', ['beszel', 'system', HOSTILE]],
    ['a paused monitor of an app, read without its id', () => pausedManagedMonitors([monitor({ active: false, app: 'web' })])[0],
      'kuma resume', ' (or homelab apply', ['kuma', 'resume', HOSTILE]],
    ['a monitor no proxy host serves, read without its id', () => monitorWithoutProxy([monitor({ url: 'https://orphan.home.lan/' })], [], 'home.lan')[0],
      'kuma delete', ', or homelab proxy add', ['kuma', 'delete', HOSTILE]],
    ['the host such a monitor checks', () => monitorWithoutProxy([monitor({ id: 7, url: 'https://x$(pwd)`pwd`.home.lan/' })], [], 'home.lan')[0],
      'proxy add', ' <host:port>', ['proxy', 'add', 'x$(pwd)`pwd`.home.lan']],
    ['a disabled proxy host of an app', () => disabledManagedHosts([{ id: 5, domains: ["a$(touch p1)'b.home.lan"], forwardScheme: 'http', forwardHost: '10.5.0.20', forwardPort: 80, enabled: false, app: 'web' }])[0],
      'proxy enable', ' (or homelab apply', ['proxy', 'enable', "a$(touch p1)'b.home.lan"]],
    ['a hand-made proxy host forwarding to no guest', () => proxyTargets([{ id: 9, domains: ['y`touch p1`.home.lan'], forwardScheme: 'http', forwardHost: '10.5.0.98', forwardPort: 80, enabled: true }], [guest], new Map(), [], 'home.lan', undefined)[0],
      'proxy update', ' --target', ['proxy', 'update', 'y`touch p1`.home.lan']],
    ['a proxy host on an expiring Let\'s Encrypt certificate', () => expiringCertificates([{ id: 7, name: 'git', provider: 'letsencrypt', domains: ['git.home.lan'], expiresOn: null, daysLeft: 3, usedBy: ['g$(touch p1)`touch p2`.home.lan'], otherUses: [] }], { certWarnDays: 14, certErrorDays: 3 })[0],
      'proxy update', ' --new-cert', ['proxy', 'update', 'g$(touch p1)`touch p2`.home.lan']],
    ['a hand-made proxy host naming a deleted certificate', () => hostsWithDeletedCertificate([{ id: 4, domains: ["d$(touch p1)'.home.lan"], forwardScheme: 'http', forwardHost: '10.5.0.20', forwardPort: 80, enabled: true, deletedCertificateId: 3, sslForced: true }], [], { zone: 'home.lan', records: undefined, monitors: undefined, proxy: undefined })[0],
      'proxy update', ' --new-cert', ['proxy', 'update', "d$(touch p1)'.home.lan"]],
    ['a stale record', () => staleRecords([], new Map(), [{ name: 'x$(touch p1).home.lan', type: 'A', value: '10.5.0.99', disabled: false }], 'home.lan')[0],
      'dns delete', ' (or,', ['dns', 'delete', 'x$(touch p1)', '--type', 'A', '--value', '10.5.0.99']],
  ])('%s: runs homelab with the name as one word, and nothing else', async (_what, finding, words, end, expected) => {
    const pasted = await pasteIntoShell(command(finding(), words, end));
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(pasted.runs).toEqual([expected]);
    expect(pasted.files).toEqual([]);
  });

  it('keeps a name that needs no quoting bare', () => {
    const plain = systemFindings([{ name: 'homeassistant', host: '10.5.0.20', status: 'down' }], [guest])[0];
    expect(plain?.fix).toContain('; homelab beszel system homeassistant shows its last report');
  });
});

describe('check against the lab, its fix pasted into sh', () => {
  const lab = useLab({ services: ['pve', 'beszel'] });

  it('finds the Beszel system by its hostile name and runs nothing of it (the CLI, dist)', async () => {
    const sim = lab.current.sims.get('beszel') as BeszelSim;
    const running = guestById(trouble.beszelDownWhileRunning);
    const system = sim.store.find('systems', sim.systemId(running.name));
    if (!system) throw new Error(`no Beszel system ${running.name}`);
    system.name = HOSTILE;
    const res = await runCli(['check', '--json'], lab.current.env, { timeoutMs: 60_000 });
    const finding = (JSON.parse(res.stdout) as CheckResult).findings.find((f) => f.kind === 'beszel-down-guest-running');
    const line = command(finding, 'beszel system', ' shows its last report');
    const shown = await runCli(['check'], lab.current.env, { timeoutMs: 60_000 });
    expect(shown.stdout).toContain(`    fix: restart the Beszel agent in VM ${running.vmid} (${running.name}) (systemctl restart beszel-agent); ${line} shows its last report`);

    const pasted = await pasteIntoShell(line, { homelab: `'${process.execPath}' '${CLI}'`, env: { ...cliEnv(), ...lab.current.env } });
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(pasted.stdout).toContain(running.ip);
    expect(pasted.files).toEqual([]);
  });
});
