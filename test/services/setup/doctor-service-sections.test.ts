/**
 * `doctor` and `context list` judge each service's section by the schema its commands load
 * it with, and doctor the `watch:` (each check's section by that check's schema), `check:`
 * and `mcp:` sections too: a value of a service's own key
 * the commands refuse (`services.pve.backup_stale_hours: soon`), a typo'd key
 * (`fingerprnt`), a typo under `watch:` fail there (exit 3, naming the key), where they
 * used to say "all good" while every command exited 3. The built CLI against the lab's
 * simulators, over real sockets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy'] });

/** Runs `body` with config.yaml changed by `edit`, then writes the lab's own config back. */
async function withConfig(edit: (config: { services: Record<string, Record<string, unknown>> } & Record<string, unknown>) => void, body: () => Promise<void>): Promise<void> {
  const path = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
  const config = parse(readFileSync(path, 'utf8')) as { services: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  edit(config);
  writeFileSync(path, stringify(config));
  try {
    await body();
  } finally {
    lab.current.writeConfig();
  }
}

describe('doctor and context list on a section the commands refuse', () => {
  it('the lab as written passes', async () => {
    const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect((await runCli(['context', 'list'], lab.current.env)).code).toBe(0);
  });

  it('a bad value of a service\'s own key, or a typo under watch:, fails the config check (exit 3) as the commands do', async () => {
    await withConfig((c) => {
      c.services.pve = { ...c.services.pve, backup_stale_hours: 'soon' };
      c.services.proxy = { ...c.services.proxy, expose_dns: 'sometimes' };
      c.watch = { chekcs: {} };
    }, async () => {
      const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
      expect(doctor.code, doctor.stdout).toBe(3);
      expect(doctor.stdout).toContain('services.pve.backup_stale_hours: Invalid input');
      expect(doctor.stdout).toContain('services.proxy.expose_dns: Invalid option');
      expect(doctor.stdout).toContain('watch: Unrecognized key: "chekcs"');
      expect((await runCli(['pve', 'list'], lab.current.env)).code).toBe(3);
      const list = await runCli(['context', 'list'], lab.current.env);
      expect(list.code).toBe(3);
      expect(list.stdout).toMatch(/pve\s+error\s+.*services\.pve\.backup_stale_hours/);
      expect(list.stdout).toMatch(/dns\s+up/);
    });
  });

  it('a typo under mcp:, or a bad value or typo in a check\'s own section, fails doctor (exit 3) as mcp and watch refuse it', async () => {
    await withConfig((c) => {
      c.mcp = { token_fil: '/tmp/x', prot: 9000 };
      c.watch = { checks: { guests: { for: 'soon' }, systems: { disk: 'lots' }, certs: { dyas: 21 } } };
    }, async () => {
      const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
      expect(doctor.code, doctor.stdout).toBe(3);
      expect(doctor.stdout).toContain('mcp: Unrecognized keys: "token_fil" (did you mean "token_file"?), "prot" (did you mean "port"?)');
      expect(doctor.stdout).toContain('watch.checks.guests.for: must be a duration');
      expect(doctor.stdout).toContain('watch.checks.systems.disk: Invalid input');
      expect(doctor.stdout).toContain('watch.checks.certs: Unrecognized key: "dyas" (did you mean "days"?)');
      const watch = await runCli(['watch', 'status'], lab.current.env);
      expect(watch.code).toBe(3);
      expect(watch.stderr).toContain('watch.checks.guests.for: must be a duration');
    });
  });

  it('a time zone that is none, or a schedule only croner refuses, fails doctor (exit 3) as the watch daemon refuses it', async () => {
    await withConfig((c) => {
      c.watch = { timezone: 'Mars/Olympus' };
    }, async () => {
      const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
      expect(doctor.code, doctor.stdout).toBe(3);
      expect(doctor.stdout).toContain('watch.timezone: "Mars/Olympus" is not a time zone (e.g. Europe/Berlin)');
    });
    await withConfig((c) => {
      c.watch = { checks: { nodes: { schedule: '61 * * * *' } }, digest: { schedule: '0 25 * * *' } };
    }, async () => {
      const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
      expect(doctor.code, doctor.stdout).toBe(3);
      expect(doctor.stdout).toContain('watch.checks.nodes.schedule: "61 * * * *" is not a valid cron expression');
      expect(doctor.stdout).toContain('watch.digest.schedule: "0 25 * * *" is not a valid cron expression');
    });
  });

  it('a typo\'d key of a service\'s section is named with the key meant, not dropped', async () => {
    await withConfig((c) => {
      const { fingerprint, ...pve } = c.services.pve as { fingerprint: string };
      c.services.pve = { ...pve, fingerprnt: fingerprint };
      c.services.dns = { ...c.services.dns, zon: 'home.lan' };
    }, async () => {
      const doctor = await runCli(['doctor'], lab.current.env, { timeoutMs: 60_000 });
      expect(doctor.code, doctor.stdout).toBe(3);
      expect(doctor.stdout).toContain('services.pve: Unrecognized key: "fingerprnt" (did you mean "fingerprint"?)');
      expect(doctor.stdout).not.toContain('no fingerprint pinned');
      const add = await runCli(['dns', 'add', 'foo', '10.5.0.99'], lab.current.env);
      expect(add.code).toBe(3);
      expect(add.stderr).toContain('services.dns: Unrecognized key: "zon" (did you mean "zone"?)');
    });
  });
});
