/**
 * `homelab export` where the lab is not what expose made, and `plan` on what it wrote, as a
 * user runs them (the built binary against the lab's simulators): NPM not configured is a
 * refusal (no file whose plan deletes every app), Kuma not configured is said in the file, a
 * certificate that has expired or does not cover the app's name is written `cert: auto` with a
 * comment that plan replaces it (as plan does, and apply, after which nothing changes), and the plan shows what a proxy or monitor update changes. A lab.yaml field
 * that cannot be used is a lab-file error (exit 3) naming the line and the key.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const hub = useHubLab();

/** Writes a lab file under the lab's directory and returns its path. */
function labFile(name: string, text: string): string {
  const dir = join(hub.lab.current.dir, 'rt-labs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The lab's environment with a copy of its config that lacks `services.<service>`. */
function without(service: string): Record<string, string> {
  const env = hub.env();
  const copy = mkdtempSync(join(hub.lab.current.dir, `no-${service}-`));
  cpSync(env.HOMELAB_CONFIG_HOME as string, copy, { recursive: true });
  const file = join(copy, 'homelab', 'config.yaml');
  const config = parse(readFileSync(file, 'utf8')) as { services: Record<string, unknown> };
  delete config.services[service];
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return { ...env, HOMELAB_CONFIG_HOME: copy };
}

describe('export and plan round trip', () => {
  it('makes the apps the tests below read', async () => {
    const path = labFile('base.yaml', 'apps:\n  rt1: { target: "10.5.0.12:3000", websockets: true }\n  rt2: { target: "10.5.0.12:3001", monitor_url: "https://user:pw@rt2.home.lan/health" }\n');
    const r = await runCli(['apply', path, '--yes'], hub.env());
    expect(r.code, r.stderr).toBe(0);
  });

  it('NPM not configured: export refuses (exit 3, nothing on stdout) instead of writing apps: {}', async () => {
    const r = await runCli(['export', '-'], without('proxy'));
    expect(r.stdout).toBe('');
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe('homelab: homelab marks objects of apps rt1, rt2, but NPM is not configured (services.proxy): their proxy hosts (what an app forwards to) cannot be read; no lab file was written');
  });

  it('Kuma not configured: the file says monitors were not read, and plan in the full config shows what monitor: false deletes', async () => {
    const r = await runCli(['export', '-'], without('kuma'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# Uptime Kuma is not configured (services.kuma): monitors were not read, so every app is written with monitor: false.');
    const full = await runCli(['export', '-'], hub.env());
    expect(full.stdout).not.toContain('Uptime Kuma is not configured');
  });

  it.each([['git.home.lan', 'covers git.home.lan, not rt1.home.lan'], ['paperless.home.lan', 'has expired']])(
    'a certificate for %s on the host is written cert: auto with a comment that plan replaces it, as plan and apply do; then nothing changes', async (name, why) => {
      const other = hub.proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes(name));
      expect(other).toBeDefined();
      expect((await runCli(['proxy', 'update', 'rt1.home.lan', '--cert', String(other?.id)], hub.env())).code).toBe(0);
      const path = join(hub.lab.current.dir, 'rt-labs', 'exported.yaml');
      const w = await runCli(['export', path, '--force'], hub.env());
      expect(w.code, w.stderr).toBe(0);
      const text = readFileSync(path, 'utf8');
      expect((parse(text) as { apps: Record<string, { cert: unknown }> }).apps.rt1?.cert).toBe('auto');
      expect(text).toContain(`# lab.yaml cannot say everything about these apps: homelab plan on this file still changes them:\n# rt1: replaces certificate #${other?.id}, which ${why} (cert: auto)\n`);
      type Planned = { changes: number; plan: { steps: { state: string; describe: string }[] } };
      const plan = await runCliJson<Planned>(['plan', path], hub.env());
      expect(plan.plan.steps.filter((s) => s.state !== 'unchanged').map((s) => s.describe))
        .toEqual([expect.stringMatching(new RegExp(`^NPM proxy host rt1\\.home\\.lan → .*; changes: certificate #${other?.id} → #\\d+ \\(#${other?.id} ${why.replace(/\./g, '\\.')}\\)$`))]);
      expect((await runCli(['apply', path, '--yes'], hub.env())).code).toBe(0);
      expect((await runCliJson<Planned>(['plan', path], hub.env())).changes).toBe(0);
      expect((await runCli(['export', path, '--force'], hub.env())).code).toBe(0);
      expect(readFileSync(path, 'utf8')).not.toContain('# rt1:');
    });

  it('a proxy host or monitor update says what changes (old → new), and a password hidden as user:*** is kept', async () => {
    const path = join(hub.lab.current.dir, 'rt-labs', 'exported.yaml');
    const text = readFileSync(path, 'utf8');
    const changed = labFile('changed.yaml', text.replace('websockets: true', 'websockets: false').replace('10.5.0.12:3001', '10.5.0.12:3005')
      .replace('https://user:pw@rt2.home.lan/health', 'https://user:pw@rt2.home.lan/health2'));
    const updates = async (file: string): Promise<string[]> => (await runCliJson<{ plan: { steps: { state: string; describe: string }[] } }>(['plan', file], hub.env()))
      .plan.steps.filter((s) => s.state === 'update').map((s) => s.describe);
    const described = await updates(changed);
    expect(described).toContainEqual(expect.stringMatching(/^NPM proxy host rt1\.home\.lan → http:\/\/10\.5\.0\.12:3000 \(.*\); changes: websockets on → off$/));
    expect(described).toContainEqual(expect.stringMatching(/^NPM proxy host rt2\.home\.lan → .*; changes: http:\/\/10\.5\.0\.12:3001 → http:\/\/10\.5\.0\.12:3005$/));
    expect(described).toContain('Kuma HTTP monitor rt2 → https://***@rt2.home.lan/health2 (was https://***@rt2.home.lan/health)');
    const secret = await updates(labFile('secret.yaml', text.replace('https://user:pw@rt2.home.lan/health', 'https://user:pw2@rt2.home.lan/health')));
    expect(secret).toEqual(['Kuma HTTP monitor rt2 → https://***@rt2.home.lan/health (the credentials change)']);
    for (const hidden of ['https://user:***@rt2.home.lan/health', 'https://***:***@rt2.home.lan/health']) {
      const kept = labFile('kept.yaml', text.replace('https://user:pw@rt2.home.lan/health', hidden));
      expect((await runCliJson<{ changes: number }>(['plan', kept], hub.env())).changes, hidden).toBe(0);
    }
    // Another user name: refused as a lab-file error at monitor_url, naming the part that differs (the output hides it).
    const otherText = text.replace('https://user:pw@rt2.home.lan/health', 'https://someone:***@rt2.home.lan/health');
    const otherFile = labFile('other.yaml', otherText);
    const other = await runCli(['plan', otherFile], hub.env());
    expect(other.code).toBe(3);
    const line = otherText.split('\n').findIndex((l) => l.includes('someone:***')) + 1;
    expect(other.stderr.split('\n')[0]).toBe(`homelab: ${otherFile}:${line}: apps.rt2.monitor_url: the monitor URL holds *** where homelab's output hid a secret, `
      + "but it cannot stand for the URL the app's monitor checks: the user name differs from the monitor's");
    const moved = await runCli(['plan', labFile('path.yaml', text.replace('https://user:pw@rt2.home.lan/health', 'https://user:***@rt2.home.lan/health2'))], hub.env());
    expect(moved.code).toBe(3);
    expect(moved.stderr).toContain("its scheme, host, path or query differs from the monitor's (https://***@rt2.home.lan/health)");
  });

  it.each([
    ['a name that is no guest and has no record', 'target: "nosuch:80"', 3, 'apps.x.target: nosuch is neither a guest nor a name with an address in home.lan'],
    ['a certificate NPM does not have', 'target: "10.5.0.1:80"\n    cert: 99', 4, 'apps.x.cert: NPM has no certificate #99'],
  ])('%s: a lab-file error, exit 3, naming the line and the key', async (_name, fields, line, message) => {
    const path = labFile('bad.yaml', `apps:\n  x:\n    ${fields}\n`);
    const r = await runCli(['plan', path], hub.env());
    expect(r.stderr.split('\n')[0]).toBe(`homelab: ${path}:${line}: ${message}`);
    expect(r.code).toBe(3);
  });
});
