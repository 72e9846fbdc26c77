/**
 * `status`, `doctor`, `services` and `shims install` through the built CLI against the
 * whole simulated lab (every simulator plus real sshd targets): headlines that tell the
 * lab's story, a service down or too slow as its own line, doctor's pass and fail lines
 * with their fixes and exit codes, the registry document, and shims that never
 * overwrite a file homelab did not write.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { guestById, guests } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import { attachSshTargets, type SshLab } from '../../../src/lab/ssh-target/index.js';
import type { DoctorResult, ServicesResult, ShimsResult } from '../../../src/services/setup/index.js';
import type { StatusResult } from '../../../src/services/hub/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { opensshFingerprint } from '../updates/ssh-env.js';

describe('top-level commands against the lab', () => {
  const holder = useLab();
  let lab: RunningLab;
  let ssh: SshLab;
  let env: Record<string, string>;
  const sim = (name: string) => {
    const s = lab.sims.get(name);
    if (!s) throw new Error(`no ${name} simulator`);
    return s;
  };
  const headline = (r: StatusResult, service: string): string => r.services.find((s) => s.service === service)?.headline ?? '';

  beforeAll(async () => {
    lab = holder.current;
    ssh = await attachSshTargets(lab);
    env = { ...lab.env };
  });
  afterAll(async () => { await ssh?.close(); });

  describe('status', () => {
    it('shows every configured service with a headline that tells the lab story', async () => {
      const r = await runCliJson<StatusResult>(['status'], env);
      expect(r.services.map((s) => [s.service, s.state])).toEqual(
        ['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma', 'updates'].map((s) => [s, 'up']),
      );
      const real = guests.filter((g) => !g.template);
      expect(headline(r, 'pve')).toContain(`${real.filter((g) => g.status === 'running').length}/${real.length} guests running`);
      expect(r.services.find((s) => s.service === 'pbs')).toMatchObject({ tone: 'bad', headline: expect.stringMatching(/^\d+ backup groups, .* \(\+\d+ more\)$/) });
      expect(headline(r, 'dns')).toMatch(/^[\d,]+ queries last hour/);
      expect(headline(r, 'proxy')).toMatch(new RegExp(`hosts online · certificate of ${trouble.handMadeApp.host}\\.home\\.lan expired \\(\\+1\\)`));
      expect(headline(r, 'beszel')).toMatch(new RegExp(`2 of \\d+ systems down \\(${guestById(trouble.beszelDownWhileRunning).name}, media\\)`));
      expect(headline(r, 'beszel')).toContain(`disk full: ${trouble.fullDiskSystem}`);
      expect(headline(r, 'kuma')).toMatch(new RegExp(`1 of \\d+ monitors down \\(${trouble.downMonitorHost}\\)`));
      expect(headline(r, 'updates')).toMatch(/\d+ pending \(4 security\) on 6 targets/);
    });

    it('shows a service that fails as one red line and still shows the others, then exits 4', async () => {
      sim('beszel').faults.resetNext = 1000;
      try {
        const res = await runCli(['status'], env);
        expect(res.code).toBe(4);
        expect(res.stderr).toContain('homelab: status: 1 of 7 services failed (beszel)');
        const lines = res.stdout.split('\n');
        expect(lines.find((l) => l.startsWith('beszel'))).toMatch(/^beszel\s+down\s+beszel: /);
        for (const s of ['pve', 'pbs', 'dns', 'proxy', 'kuma', 'updates']) expect(lines.find((l) => l.startsWith(s))).toMatch(new RegExp(`^${s}\\s+up\\s`));
        expect(res.stdout).toContain('1 of 7 services failed (beszel)');
      } finally {
        sim('beszel').faults.resetNext = 0;
      }
    });

    it('gives each service its own time limit', async () => {
      sim('dns').faults.hangNext = 1000;
      try {
        const res = await runCli(['status', '--timeout', '5', '--json'], env);
        expect(res.code).toBe(4);
        const r = JSON.parse(res.stdout) as StatusResult;
        const dns = r.services.find((s) => s.service === 'dns');
        expect(dns).toMatchObject({ state: 'down', error: { exitCode: 4 } });
        expect(dns?.headline).toBe('dns: status timed out after 5 s');
        expect(r.services.filter((s) => s.service !== 'dns').map((s) => `${s.service} ${s.state} ${s.headline}`)).toEqual(
          ['pve', 'pbs', 'proxy', 'beszel', 'kuma', 'updates'].map((s) => expect.stringMatching(new RegExp(`^${s} up `))),
        );
      } finally {
        sim('dns').faults.hangNext = 0;
      }
    });
  });

  describe('doctor', () => {
    it('passes on the lab: config, credentials, TLS pins, tokens, SSH host keys', async () => {
      const r = await runCliJson<DoctorResult>(['doctor'], env);
      expect(r.ok).toBe(true);
      expect(r.counts.fail).toBe(0);
      expect(r.counts.pass).toBe(r.checks.filter((c) => c.status === 'pass').length); // a count, not masked as a password
      const names = r.checks.map((c) => `${c.area} ${c.name}`);
      for (const n of ['config parses', 'pve tls', 'pve privileges', 'pbs token', 'pbs tls', 'dns token', 'proxy login', 'beszel login', 'kuma api key', 'ssh host forgejo']) {
        expect(names).toContain(n);
      }
      expect(r.checks.find((c) => c.area === 'pve' && c.name === 'tls')?.detail).toContain(sim('pve').fingerprint);
    });

    it('prints each fix (open credentials, a wrong pin, an unknown host key), then exits 4 for the unreachable ones', async () => {
      const dnsCreds = join(lab.env.HOMELAB_CONFIG_HOME, 'dns', 'credentials');
      const knownHosts = readFileSync(ssh.knownHosts, 'utf8');
      const forgejo = ssh.targets.get('forgejo');
      const pbs = sim('pbs');
      chmodSync(dnsCreds, 0o644);
      writeFileSync(ssh.knownHosts, knownHosts.replace(`${forgejo?.knownHostsLine}\n`, ''));
      const pin = pbs.configSection.fingerprint;
      pbs.configSection.fingerprint = (pbs.fingerprint ?? '').replace(/^../, (pbs.fingerprint ?? '').startsWith('00') ? '11' : '00');
      lab.writeConfig({ ssh: ssh.sshConfig });
      try {
        const res = await runCli(['doctor'], env);
        expect(res.code).toBe(4);
        expect(res.stderr).toMatch(/doctor: 3 of \d+ checks failed \(pbs tls, dns credentials, ssh host forgejo\)/);
        expect(res.stdout).toContain(`fix: chmod 600 ${dnsCreds}`);
        expect(res.stdout).toContain(`set services.pbs.fingerprint: "${pbs.fingerprint}"`);
        const fp = opensshFingerprint(`${forgejo?.hostKey.privatePath}.pub`);
        expect(res.stdout).toContain(`host key of 127.0.0.1:${forgejo?.port} is not known (ssh-ed25519 ${fp})`);
        expect(res.stdout).toContain(`echo '${forgejo?.knownHostsLine}' >> ${ssh.knownHosts}`);
        expect(res.stdout).toMatch(/✓ proxy\s+login/);
        const json = await runCli(['doctor', '--json'], env);
        expect(json.code).toBe(4);
        const report = JSON.parse(json.stdout) as { ok: boolean; checks: { area: string; name: string; status: string }[] };
        expect(report.ok).toBe(false);
        expect(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.area} ${c.name}`).sort()).toEqual(['dns credentials', 'pbs tls', 'ssh host forgejo']);
      } finally {
        chmodSync(dnsCreds, 0o600);
        writeFileSync(ssh.knownHosts, knownHosts);
        pbs.configSection.fingerprint = pin;
        lab.writeConfig({ ssh: ssh.sshConfig });
      }
    });

    it('warns when the PVE token may only read, naming the missing privileges and the pveum fix', async () => {
      const file = join(lab.env.HOMELAB_CONFIG_HOME, 'pve', 'credentials');
      const original = readFileSync(file, 'utf8');
      const pve = sim('pve') as unknown as { tokens: { readonly: { id: string; secret: string } } };
      writeFileSync(file, `PVE_TOKEN_ID=${pve.tokens.readonly.id}\nPVE_TOKEN_SECRET=${pve.tokens.readonly.secret}\n`, { mode: 0o600 });
      try {
        const r = await runCliJson<DoctorResult>(['doctor'], env);
        const privs = r.checks.find((c) => c.area === 'pve' && c.name === 'privileges');
        expect(r.ok).toBe(true);
        expect(privs?.status).toBe('warn');
        expect(privs?.detail).toMatch(/power actions \(VM\.PowerMgmt on \/vms\).*node updates \(apt\) \(Sys\.Modify on \/nodes\)/);
        expect(privs?.fix).toMatch(/pveum acl modify \/ --tokens/);
      } finally {
        writeFileSync(file, original, { mode: 0o600 });
      }
    });

    it('spots a PBS token id with the secret glued on', async () => {
      const file = join(lab.env.HOMELAB_CONFIG_HOME, 'pbs', 'credentials');
      const original = readFileSync(file, 'utf8');
      const id = /PBS_TOKEN_ID=(.*)/.exec(original)?.[1] ?? '';
      const secret = /PBS_TOKEN_SECRET=(.*)/.exec(original)?.[1] ?? '';
      writeFileSync(file, `PBS_TOKEN_ID=${id}:${secret}\nPBS_TOKEN_SECRET=${secret}\n`, { mode: 0o600 });
      try {
        const res = await runCli(['doctor'], env);
        expect(res.code).toBe(1);
        expect(res.stdout).toMatch(/✗ pbs\s+token\s+PBS_TOKEN_ID has the secret glued on with ":"/);
        expect(`${res.stdout}${res.stderr}`).not.toContain(secret);
      } finally {
        writeFileSync(file, original, { mode: 0o600 });
      }
    });
  });

  describe('services', () => {
    it('lists each service with its URL, auth method, credentials file and status', async () => {
      const r = await runCliJson<ServicesResult>(['services'], env);
      for (const key of ['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma']) {
        expect(r.services.find((s) => s.service === key)).toMatchObject({ configured: true, url: sim(key).url, credentials: 'ok', status: 'up' });
      }
      expect(r.services.find((s) => s.service === 'proxy')?.credentialsPath).toBe(join(lab.env.HOMELAB_CONFIG_HOME, 'npm', 'credentials'));
      expect(r.services.find((s) => s.service === 'telegram')).toMatchObject({ configured: false, status: 'not configured' });
      expect(r.ssh.targets.map((t) => t.name)).toEqual(['dns', 'proxy', 'dockge', 'forgejo']);
    });

    it('shows a service whose port accepts but never speaks TLS as down, not up', async () => {
      const silent: Server = createServer(() => { /* accepts, never answers */ });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const services = Object.fromEntries(['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma'].map((k) => [k, sim(k).configSection]));
      lab.writeConfig({ ssh: ssh.sshConfig, services: { ...services, pve: { ...sim('pve').configSection, url: `https://127.0.0.1:${(silent.address() as AddressInfo).port}` } } });
      try {
        const r = await runCliJson<ServicesResult>(['services'], env);
        expect(r.services.find((s) => s.service === 'pve')).toMatchObject({ status: 'down', detail: 'no TLS answer within 3 s' });
        expect(r.services.find((s) => s.service === 'dns')).toMatchObject({ status: 'up' });
      } finally {
        lab.writeConfig({ ssh: ssh.sshConfig });
        silent.close();
      }
    });

    it('prints the registry as a Markdown document with --markdown', async () => {
      const res = await runCli(['services', '--markdown'], env);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^# Homelab services\n/);
      expect(res.stdout).toContain(`| pve | Proxmox VE | ${sim('pve').url} |`);
      expect(res.stdout).toContain(`| forgejo | 127.0.0.1:${ssh.targets.get('forgejo')?.port} |`);
      expect(res.stdout).toContain('Not configured: telegram.');
    });
  });

  describe('shims install', () => {
    it('writes the original helper names, which run homelab, and leaves foreign files alone', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'homelab-shims-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'dns'), '#!/bin/sh\necho my own dns script\n', { mode: 0o755 });
      const first = await runCliJson<ShimsResult>(['shims', 'install', dir], env);
      expect(first.shims.map((s) => [s.name, s.action])).toEqual([
        ['pve', 'written'], ['pbs', 'written'], ['dns', 'skipped'], ['npm-api', 'written'], ['beszel', 'written'], ['kuma', 'written'], ['telegram', 'written'], ['updates', 'written'],
      ]);
      expect(first.onPath).toBe(false);
      expect(readFileSync(join(dir, 'dns'), 'utf8')).toBe('#!/bin/sh\necho my own dns script\n');
      expect(statSync(join(dir, 'pve')).mode & 0o777).toBe(0o755);
      expect(readFileSync(join(dir, 'npm-api'), 'utf8')).toMatch(/ proxy "\$@"\n$/);

      // Async: the simulators answer from this process's event loop.
      const { stdout: out } = await promisify(execFile)(join(dir, 'pve'), ['list', '--json'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, ...lab.env }, encoding: 'utf8' });
      expect((JSON.parse(out) as { vmid: number }[]).map((g) => g.vmid)).toEqual(guests.map((g) => g.vmid).sort((a, b) => a - b));

      writeFileSync(join(dir, 'kuma'), `${readFileSync(join(dir, 'kuma'), 'utf8')}# an older version\n`);
      const second = await runCliJson<ShimsResult>(['shims', 'install', dir], { ...env, PATH: `${dir}:${process.env.PATH ?? ''}` });
      expect(second.onPath).toBe(true);
      expect(Object.fromEntries(second.shims.map((s) => [s.name, s.action]))).toMatchObject({ pve: 'unchanged', dns: 'skipped', kuma: 'updated' });
    });
  });

  it('writes nothing secret into the status, doctor or services output', async () => {
    const secrets = [...lab.sims.values()].flatMap((s) => Object.values(s.credentials.values)).filter((v) => v.length >= 8);
    for (const args of [['status', '--json'], ['doctor', '--json'], ['services', '--json'], ['services', '--markdown']]) {
      const res = await runCli(args, env);
      for (const secret of secrets) expect(`${res.stdout}${res.stderr}`).not.toContain(secret);
    }
  });
});
