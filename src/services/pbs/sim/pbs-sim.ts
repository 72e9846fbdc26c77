/**
 * @module services/pbs/sim/pbs-sim
 * Starts the Proxmox Backup Server simulator: HTTPS with a self-signed certificate on
 * 127.0.0.1, `/api2/json`, seeded from the lab inventory (datastore `main`, a backup
 * group per guest, ct/106 stale with a failed verify and a failed backup last night,
 * a GC warning), and knobs for tests (task duration, auth delays, failing the next
 * GC or verify, extra tokens with fewer privileges).
 */
import { randomUUID } from 'node:crypto';
import { guestById } from '../../../lab/inventory.js';
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { startSimServer } from '../../../lab/sim-server.js';
import { backupIntake } from './backup-intake.js';
import { pbsPipeline } from './pipeline.js';
import { datastoreRoutes } from './routes-datastore.js';
import { jobRoutes } from './routes-jobs.js';
import { serverRoutes } from './routes-server.js';
import { taskRoutes } from './routes-tasks.js';
import { seedDatastore } from './seed-datastore.js';
import { seedHistory } from './seed-history.js';
import { ALL_PRIVS, type PbsSimKnobs, type PbsSimState, type Priv } from './state.js';
import { TaskStore } from './tasks.js';

/** Options of the PBS simulator. */
export interface PbsSimOptions extends SimStartOptions {
  /** Delay of 401 answers (PBS: ~3 s). */
  authFailDelayMs?: number;
  /** Delay of 403 answers (PBS: ~0.5 s). */
  forbiddenDelayMs?: number;
}

/** A running PBS simulator. */
export interface PbsSim extends LabSim {
  state: PbsSimState;
  knobs: PbsSimKnobs;
  /** The token the lab's credentials use (`root@pam!homelab`, all privileges). */
  tokenId: string;
  tokenSecret: string;
  /** Adds a token of root@pam with only these privileges; returns its secret. */
  addToken(id: string, privs: readonly Priv[]): string;
}

/** The simulator's route table. */
export const pbsRoutes = [...serverRoutes, ...datastoreRoutes, ...jobRoutes, ...taskRoutes];

/** Starts the PBS simulator. */
export async function startPbsSim(options: PbsSimOptions = {}): Promise<PbsSim> {
  const now = Math.floor(Date.now() / 1000);
  const node = guestById(105).name;
  const knobs: PbsSimKnobs = {
    taskDurationMs: options.taskDurationMs ?? 1200,
    authFailDelayMs: options.authFailDelayMs ?? 3000,
    forbiddenDelayMs: options.forbiddenDelayMs ?? 500,
    failNext: {},
  };
  const tokenId = 'root@pam!homelab';
  const tokenSecret = randomUUID();
  const state: PbsSimState = {
    node,
    version: { version: '4.0', release: '18', repoid: '9e6a3b1c7d4f5e2a' },
    fingerprint: '',
    datastores: new Map(),
    tasks: new TaskStore({ node, pid: 0x2d5, pstart: 0xc41 }),
    tokens: new Map([[tokenId, { secret: tokenSecret, privs: new Set(ALL_PRIVS), enabled: true }]]),
    users: new Map([['root@pam', randomUUID()]]),
    tickets: new Map(),
    knobs,
  };
  const ds = seedDatastore(now);
  state.datastores.set(ds.name, ds);
  seedHistory(ds, state.tasks, now);
  const server = await startSimServer({ name: 'pbs', tls: true, handle: pbsPipeline(state, pbsRoutes), faults: { latencyMs: options.latencyMs ?? 0 } });
  options.backups?.attach(backupIntake(state, ds));
  state.fingerprint = (server.fingerprint ?? '').toLowerCase();
  return {
    ...server,
    service: 'pbs',
    configSection: { url: server.url, fingerprint: server.fingerprint, datastore: ds.name },
    credentials: { dir: 'pbs', values: { PBS_TOKEN_ID: tokenId, PBS_TOKEN_SECRET: tokenSecret } },
    state, knobs, tokenId, tokenSecret,
    addToken(id, privs) {
      const secret = randomUUID();
      state.tokens.set(`root@pam!${id}`, { secret, privs: new Set(privs), enabled: true });
      return secret;
    },
  };
}
