/**
 * A database file that is a symlink is refused (exit 3, one line naming it), never opened
 * through: homelab would write there and chmod whatever it points to (a 644 file turned 600).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/audit/sqlite.js';
import { ConfigError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'sqlite-link-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data home whose audit.sqlite links to a 644 file elsewhere; returns both paths. */
function linkedDatabase(): { data: string; file: string; target: string } {
  const dir = mkdtempSync(join(root, 'd-'));
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const target = join(dir, 'elsewhere.db');
  writeFileSync(target, '');
  chmodSync(target, 0o644);
  const file = join(data, 'audit.sqlite');
  symlinkSync(target, file);
  return { data, file, target };
}

describe('a symlinked database file', () => {
  it('is refused with exit 3 naming it, and what it points to keeps its mode', () => {
    const { file, target } = linkedDatabase();
    let error: unknown;
    try {
      openSqlite(file, 'CREATE TABLE IF NOT EXISTS t (x)').close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as ConfigError).message).toBe(`database ${file} is a symbolic link (to ${target}): homelab keeps its databases as files of its own`);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(statSync(target).size).toBe(0);
  });

  it('a command that writes the audit log exits 3 with one line and leaves the target alone', async () => {
    const { data, file, target } = linkedDatabase();
    const config = join(data, '..', 'config');
    mkdirSync(join(config, 'homelab'), { recursive: true });
    writeFileSync(join(config, 'homelab', 'config.yaml'), 'services:\n  dns:\n    url: http://127.0.0.1:9\n', { mode: 0o600 });
    mkdirSync(join(config, 'dns'));
    writeFileSync(join(config, 'dns', 'credentials'), 'DNS_TOKEN=abc\n', { mode: 0o600 });
    const result = await runCli(['dns', 'add', 'rvtest', '10.5.0.99'], { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: data });
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')[0]).toBe(`homelab: cannot write the audit log ${file}, so dns.add was not run (database ${file} is a symbolic link (to ${target}): homelab keeps its databases as files of its own)`);
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });
});
