/**
 * `homelab check`'s fixes run as printed, against the lab's simulators over real sockets:
 * the fix for an exposed app forwarding to a non-guest address carries the app's options,
 * so running it (with a real target) leaves the app as it was but for the target, and the
 * finding is gone; a proxy host forwarding to a machine that is no guest (a NAS, with a DNS
 * record or not) is an error whose fix names `check.hosts`, and once `check.hosts` lists it
 * (by address, or by a name: every record of the name), check says nothing about it or its records.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { npmTimestamp } from '../../../src/services/proxy/sim/store.js';
import { runCli } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, dns, proxy, hostFor, monitorNamed } = useHubLab();

type Finding = { kind: string; severity: string; subject: string; message: string; fix: string };

async function findings(): Promise<Finding[]> {
  const res = await runCli(['check', '--json'], env(), { timeoutMs: 60_000 });
  return (JSON.parse(res.stdout) as { findings: Finding[] }).findings;
}

/** The command of a fix (before its first parenthesis), as argv without `homelab`, the placeholder filled in. */
function argvOf(fix: string, target: string): string[] {
  const command = fix.split(' (')[0] ?? '';
  const words = command.replace('<host:port>', target).split(' ');
  expect(words[0]).toBe('homelab');
  return words.slice(1);
}

describe("check's fix for an exposed app's proxy host", () => {
  it('forwarding to a non-guest address: runs as printed, keeps the options, and the finding is gone', async () => {
    const made = await runCli(['expose', 'pad', '10.5.0.61:9001', '--dns', 'a', '--cert', 'none', '--yes'], env());
    expect(made.code, made.stderr).toBe(0);
    const finding = (await findings()).find((f) => f.subject === 'pad.home.lan' && f.kind === 'proxy-to-missing-guest');
    expect(finding?.severity).toBe('error');
    expect(finding?.fix).toMatch(/^homelab expose pad <host:port> --dns a --cert none \(forwards it there;/);

    const fixed = await runCli([...argvOf(finding?.fix ?? '', 'forgejo:3000'), '--yes'], env());
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await findings()).filter((f) => f.subject === 'pad.home.lan')).toEqual([]);
    // Only the target moved: the A record, no certificate, SSL not forced, the http:// monitor.
    expect(dns().store.records.filter((r) => r.name === 'pad.home.lan').map((r) => r.type)).toEqual(['A']);
    expect(hostFor('pad.home.lan')).toMatchObject({ forward_host: '10.5.0.12', forward_port: 3000, certificate_id: 0, ssl_forced: false });
    expect(monitorNamed('pad')).toMatchObject({ url: 'http://pad.home.lan' });
  });
});

describe('a machine that is no guest: check.hosts', () => {
  it('a proxy host to an address a record names is an error naming check.hosts; listed there, nothing is said about it or its record', async () => {
    expect((await runCli(['dns', 'add', 'nas', '10.5.0.60'], env())).code).toBe(0);
    const made = await runCli(['expose', 'nasui', '10.5.0.60:5000', '--cert', 'none', '--no-monitor', '--yes'], env());
    expect(made.code, made.stderr).toBe(0);
    const before = (await findings()).filter((f) => f.subject === 'nasui.home.lan' || f.subject === 'nas.home.lan');
    expect(before.map((f) => `${f.severity} ${f.kind} ${f.subject}`).sort()).toEqual([
      'error proxy-to-missing-guest nasui.home.lan', 'warning proxy-without-monitor nasui.home.lan', 'warning stale-record nas.home.lan',
    ]);
    expect(before.find((f) => f.kind === 'stale-record')?.fix).toContain('add it to check.hosts in config.yaml');
    expect(before.find((f) => f.kind === 'proxy-to-missing-guest')?.fix)
      .toMatch(/^homelab expose nasui <host:port> .*, or homelab unexpose nasui, or if 10\.5\.0\.60 is a machine of the lab that is not a guest \(a NAS, a printer\), add it to check\.hosts in config\.yaml$/);

    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    for (const listed of ['nas', '10.5.0.60']) {
      const config = parse(readFileSync(file, 'utf8')) as { check: Record<string, unknown> };
      config.check.hosts = [listed];
      writeFileSync(file, stringify(config));
      try {
        const after = (await findings()).filter((f) => f.subject === 'nasui.home.lan' || f.subject === 'nas.home.lan');
        expect(after.map((f) => `${f.kind} ${f.subject}`), listed).toEqual(['proxy-without-monitor nasui.home.lan']);
      } finally {
        lab.current.writeConfig();
      }
    }
  });
});

describe('check.hosts by name', () => {
  it('vouches for every A record of the name, not only the first', async () => {
    // A stale record and the real one under one name; the name listed in check.hosts.
    for (const ip of ['10.5.0.99', '10.5.0.98']) expect((await runCli(['dns', 'add', 'files', ip], env())).code).toBe(0);
    const stale = (list: Finding[]): string[] => list.filter((f) => f.subject === 'files.home.lan').map((f) => `${f.kind} ${f.message}`);
    expect(stale(await findings())).toHaveLength(2);
    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { check: Record<string, unknown> };
    config.check.hosts = ['files'];
    writeFileSync(file, stringify(config));
    try {
      // Neither record is called stale (the first was hidden and the second, the real one, given a dns delete fix).
      expect(stale(await findings())).toEqual([]);
    } finally {
      lab.current.writeConfig();
    }
  });
});

describe('an expiring certificate only a redirection host uses', () => {
  it('is in use: no cert-delete fix, but a renewal in NPM; unused, it is fixed by deleting it', async () => {
    const made = await runCli(['proxy', 'cert-request', 'homeassistant.home.lan', '--json'], env());
    expect(made.code, made.stderr).toBe(0);
    const id = (JSON.parse(made.stdout) as { id: number }).id;
    const db = proxy().db;
    // Five days left.
    db.certificates.update(db.certificates.get(id)!, { expires_on: npmTimestamp(new Date(db.now().getTime() + 5 * 86_400_000)) });
    const of = async (): Promise<Finding | undefined> => (await findings()).find((f) => f.kind === 'certificate-expiring' && f.message.includes('homeassistant'));
    const unused = await of();
    expect(unused).toMatchObject({ severity: 'warning', fix: `homelab proxy cert-delete ${id} (no proxy, redirection or 404 host or stream uses it)` });

    const redirect = db.redirectionHosts.live().find((h) => (h.domain_names as string[]).includes('homeassistant.home.lan'));
    expect(redirect).toBeDefined();
    db.redirectionHosts.update(redirect!, { certificate_id: id });
    const used = await of();
    expect(used?.message).not.toContain('no host uses it');
    expect(used?.fix).not.toContain('cert-delete');
    expect(used?.fix).toMatch(/^renew it in Nginx Proxy Manager: SSL Certificates, Renew Now \(redirection host homeassistant\.home\.lan uses it;/);
  });
});
