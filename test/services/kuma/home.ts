/**
 * @module test/services/kuma/home
 * A config home (config.yaml and kuma/credentials) pointing at a Kuma simulator a test
 * started itself, with `services.kuma` overrides (a short `timeout_seconds`, a wrong
 * `fingerprint`, another `url`), and an in-process context over it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClientCache, createContext } from '../../../src/core/context.js';
import { invoke } from '../../../src/core/invoke.js';
import type { OpContext } from '../../../src/core/operation.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import { getRegistry } from '../../../src/services/index.js';

/** A config home and its environment. */
export interface KumaHome {
  dir: string;
  env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string };
  /** Removes the directory. */
  remove(): void;
}

/** Writes a config home for `sim`; `section` is merged into `services.kuma`, `extra` into the top level. */
export function kumaHome(sim: KumaSim, section: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KumaHome {
  const dir = mkdtempSync(join(tmpdir(), 'kuma-home-'));
  const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'kuma'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), stringify({ services: { kuma: { ...sim.configSection, ...section } }, ...extra }));
  const creds = join(env.HOMELAB_CONFIG_HOME, 'kuma', 'credentials');
  writeFileSync(creds, Object.entries(sim.credentials.values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  chmodSync(creds, 0o600);
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A CLI-like context over a home, collecting progress notes; `close` closes its clients (the Socket.IO session). */
export function homeContext(home: KumaHome, signal?: AbortSignal): { ctx: OpContext; notes: string[]; close(): Promise<void> } {
  const notes: string[] = [];
  const clients = new ClientCache();
  const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...home.env }, progress: (n) => notes.push(n), clients, operations: getRegistry(), ...(signal ? { signal } : {}) });
  return { ctx, notes, close: () => clients.closeAll() };
}

/** Runs an operation by id through the registry and `invoke`, as a surface would. */
export function runOp<T>(id: string, input: Record<string, unknown>, ctx: OpContext): Promise<T> {
  const op = getRegistry().get(id);
  if (!op) throw new Error(`no operation ${id}`);
  return invoke(op, input, ctx) as Promise<T>;
}
