/**
 * The labs of a long-running surface (no network): a lab removed from config.yaml since the
 * start (`follow`) is refused like any unknown name even when it was made already (a
 * confirmation waiting in it must not run there), one added is served, and the home lab
 * always is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { LabSet } from '../../src/core/lab-set.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-lab-set-'));
  env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config', 'homelab', 'config.yaml'), 'services:\n  pve: { url: "https://127.0.0.1:1001" }\ncontexts:\n  office:\n    services:\n      pve: { url: "https://127.0.0.1:2002" }\n', { mode: 0o600 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LabSet following config.yaml', () => {
  it('refuses a lab removed since, though it was made already; serves it again once it is back', () => {
    const labs = new LabSet(env, loadConfig(env));
    const office = labs.get('office');
    expect(office.config.services.pve).toEqual({ url: 'https://127.0.0.1:2002' });
    labs.follow(['default']);
    expect(() => labs.get('office')).toThrow(ConfigError);
    expect(() => labs.get('office')).toThrow(/unknown context "office".*default/);
    expect(labs.get().name).toBe('default');
    labs.follow(['default', 'office']);
    expect(labs.get('office')).toBe(office);
  });

  it('always serves the home lab, even when the file no longer names it', () => {
    const labs = new LabSet(env, loadConfig(env));
    labs.follow(['office']);
    expect(labs.names()).toEqual(['default', 'office']);
    expect(labs.get('default')).toBe(labs.get());
  });
});
