/**
 * @module test/helpers/two-labs
 * Two simulated labs behind one config home: the first lab is the context `default` (the
 * top-level `services:`, today's credentials paths), the second the context `office`
 * (`contexts.office`, credentials under `homelab/contexts/office/`). The office lab seeds
 * `OFFICE_EXTRA_GUESTS` more guests, so a listing tells the two apart.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startLab, type RunningLab } from '../../src/lab/lab.js';

/** How many more guests the office lab has than the default one. */
export const OFFICE_EXTRA_GUESTS = 3;

/** Two running labs and the config home that names them. */
export interface TwoLabs {
  home: RunningLab;
  office: RunningLab;
  /** HOMELAB_CONFIG_HOME / HOMELAB_DATA_HOME of the shared config home. */
  env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string };
  /** Rewrites config.yaml (a comment line first) with `extra` top-level keys and `more` contexts. */
  writeConfig(extra?: Record<string, unknown>, more?: Record<string, unknown>): void;
  close(): Promise<void>;
}

function sections(lab: RunningLab): Record<string, unknown> {
  return Object.fromEntries([...lab.sims.values()].map((s) => [s.service, s.configSection]));
}

/** Writes `lab`'s credentials files for the context `name` into `configHome`. */
export function writeContextCredentials(configHome: string, name: string, lab: RunningLab): void {
  for (const sim of lab.sims.values()) {
    const dir = join(configHome, 'homelab', 'contexts', name, sim.credentials.dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'credentials');
    writeFileSync(file, Object.entries(sim.credentials.values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
}

/** Starts both labs with `services` (default: pve, dns, proxy). */
export async function startTwoLabs(services: readonly string[] = ['pve', 'dns', 'proxy']): Promise<TwoLabs> {
  const [home, office] = await Promise.all([
    startLab({ services, taskDurationMs: 200 }),
    startLab({ services, taskDurationMs: 200, extraGuests: OFFICE_EXTRA_GUESTS }),
  ]);
  writeContextCredentials(home.env.HOMELAB_CONFIG_HOME, 'office', office);
  const writeConfig = (extra: Record<string, unknown> = {}, more: Record<string, unknown> = {}): void => {
    const body = stringify({ services: sections(home), contexts: { office: { services: sections(office) }, ...more }, ...extra });
    writeFileSync(join(home.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), `# two labs: home (default) and office\n${body}`);
  };
  writeConfig();
  return {
    home, office, env: home.env, writeConfig,
    async close() {
      await Promise.all([home.close(), office.close()]);
    },
  };
}
