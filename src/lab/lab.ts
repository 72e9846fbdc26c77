/**
 * @module lab/lab
 * `homelab lab`, the demo and the integration tests all start the simulated homelab
 * here: every simulator in `sims.ts` on loopback, plus a config home pointing at them
 * (config.yaml and 0600 credentials files), so any surface can run against it through
 * `HOMELAB_CONFIG_HOME` / `HOMELAB_DATA_HOME`. The config's `check:` section sends
 * `check --probe` to the lab's loopback stand-ins for the guests' apps (`app-listeners`).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startAppListeners } from './app-listeners.js';
import { BackupLink } from './backup-link.js';
import type { SimServer } from './sim-server.js';
import { simDefinitions } from './sims.js';

/** A running simulator as the lab sees it: what to write into config and credentials. */
export interface LabSim extends SimServer {
  service: string;
  /** The `services.<service>` section pointing at this simulator. */
  configSection: Record<string, unknown>;
  /** Credentials file directory (under the config home) and its KEY=value pairs. */
  credentials: { dir: string; values: Record<string, string> };
}

/** Options every simulator's start function accepts. */
export interface SimStartOptions {
  /** Added to every answer. */
  latencyMs?: number;
  /** How long simulated async tasks run (PVE/PBS UPIDs). */
  taskDurationMs?: number;
  /** Serve over HTTPS with a self-signed certificate (pinned in the config section), for simulators of plain-HTTP services. */
  tls?: boolean;
  /** The lab's PVE ↔ PBS wire: PVE's `pbs` storage is the PBS simulator's datastore. */
  backups?: BackupLink;
  /** Seeds this many more guests (`scaleGuests`) in PVE, with their DNS records: scale tests and benchmarks. */
  extraGuests?: number;
}

/** How the lab starts one simulator. */
export interface SimDefinition {
  service: string;
  start(options: SimStartOptions): Promise<LabSim>;
}

/** A running lab. */
export interface RunningLab {
  /** Root directory holding `config/` and `data/`. */
  dir: string;
  /** Environment to run homelab against the lab. */
  env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string };
  sims: Map<string, LabSim>;
  /** Extra top-level config keys written to config.yaml (tests add `telegram:`, `ssh:`, …; `check:` replaces the lab's). */
  writeConfig(extra?: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Options of `startLab`. */
export interface LabOptions extends SimStartOptions {
  /** Only these services (default: all). */
  services?: readonly string[];
  /** Directory for config and data (default: a new temp directory, removed on close). */
  dir?: string;
}

/** Starts the simulators and writes a config home pointing at them. */
export async function startLab(options: LabOptions = {}): Promise<RunningLab> {
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'homelab-lab-'));
  const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
  mkdirSync(env.HOMELAB_DATA_HOME, { recursive: true });
  const wanted = simDefinitions.filter((d) => !options.services || options.services.includes(d.service));
  const backups = new BackupLink();
  const started = await Promise.all(wanted.map((d) => d.start({ latencyMs: options.latencyMs, taskDurationMs: options.taskDurationMs, tls: options.tls, backups, extraGuests: options.extraGuests })));
  const sims = new Map(started.map((s) => [s.service, s]));
  const apps = await startAppListeners().catch(async (err: unknown) => { await Promise.all(started.map((s) => s.close())); throw err; });
  for (const sim of started) {
    const credDir = join(env.HOMELAB_CONFIG_HOME, sim.credentials.dir);
    mkdirSync(credDir, { recursive: true, mode: 0o700 });
    const file = join(credDir, 'credentials');
    writeFileSync(file, Object.entries(sim.credentials.values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const writeConfig = (extra: Record<string, unknown> = {}): void => {
    const services = Object.fromEntries(started.map((s) => [s.service, s.configSection]));
    const check = { probe_map: apps.probeMap, probe_unmapped: false };
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), stringify({ services, check, ...extra }));
  };
  writeConfig();
  return {
    dir, env, sims, writeConfig,
    async close() {
      await Promise.all([...started.map((s) => s.close()), apps.close()]);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
