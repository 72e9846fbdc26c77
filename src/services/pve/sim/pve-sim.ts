/**
 * @module services/pve/sim/pve-sim
 * Starts the Proxmox VE simulator: HTTPS on 127.0.0.1 with a self-signed certificate,
 * the `/api2/json` API of a two-node cluster seeded from the lab inventory, API-token
 * and ticket authentication, parameter verification against the PVE schema, and tasks
 * that run for `taskDurationMs`. See docs/pve-simulator.md.
 */
import { scaleGuests } from '../../../lab/scale-guests.js';
import { selfSignedCert } from '../../../lab/sim-cert.js';
import { startSimServer } from '../../../lab/sim-server.js';
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { Access } from './auth.js';
import { CLI_TOKEN, READONLY_TOKEN, type SimToken } from './identities.js';
import { route, type SchemaViolation } from './router.js';
import { seedState } from './seed.js';
import type { PveState } from './state.js';
import { TaskEngine } from './tasks.js';

/** Options of `startPveSim`. */
export interface PveSimOptions extends SimStartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay before every 401 answer; real PVE waits about 3 s (the default). */
  authFailDelayMs?: number;
  /** Password of `root@pam` for `POST /access/ticket` (default `homelab-lab`). */
  rootPassword?: string;
}

/** A running PVE simulator. */
export interface PveSim extends LabSim {
  /** The simulated world; tests may read and change it. */
  state: PveState;
  /** Requests real PVE would have refused for their form (400 verification, 501). Tests may clear it. */
  schemaViolations: SchemaViolation[];
  /** The toolkit's token (also in `credentials`) and a read-only, privilege-separated one. */
  tokens: { cli: SimToken; readonly: SimToken };
  /** `root@pam`'s password for ticket logins. */
  rootPassword: string;
  /**
   * Task and auth timing; change freely while running. `frozenAtMs`, when set, is the moment
   * every route sees instead of now (auth aside): live numbers (CPU, memory, uptime) stop moving,
   * for tests of what changes between two reads.
   */
  options: { taskDurationMs: number; authFailDelayMs: number; frozenAtMs?: number };
  /** Revokes an API token (`true`) or restores it (`false`): what deleting or expiring it in PVE does. */
  revokeToken(id: string, revoked?: boolean): void;
  /** The next task for this VMID (number) or of this type (`qmstart`, `aptupdate`, …) ends with `message` as exitstatus. */
  failNextTask(match: number | string, message: string): void;
  /**
   * Tasks for this VMID (number) or of this type (`qmclone`, …) started from now on keep
   * running (and hold their locks) until the returned function is called; call it in a `finally`.
   */
  holdTasks(match: number | string): () => void;
}

/** Starts the PVE simulator on 127.0.0.1. */
export async function startPveSim(options: PveSimOptions = {}): Promise<PveSim> {
  const cert = await selfSignedCert();
  const state = seedState(Math.floor(Date.now() / 1000), cert.fingerprint, scaleGuests(options.extraGuests ?? 0));
  if (options.backups) state.backupLink = options.backups;
  const timing: PveSim['options'] = { taskDurationMs: options.taskDurationMs ?? 1500, authFailDelayMs: options.authFailDelayMs ?? 3000 };
  const tasks = new TaskEngine(state, () => timing.taskDurationMs);
  const rootPassword = options.rootPassword ?? 'homelab-lab';
  const access = new Access([CLI_TOKEN, READONLY_TOKEN], rootPassword);
  const schemaViolations: SchemaViolation[] = [];
  const server = await startSimServer({
    name: 'pve', tls: true, port: options.port, faults: { latencyMs: options.latencyMs ?? 0 },
    handle: (sim) => route(sim, {
      state, tasks, access, violations: schemaViolations,
      cert: { pem: cert.cert, fingerprint: cert.fingerprint },
      authFailDelayMs: () => timing.authFailDelayMs,
      frozenAtMs: () => timing.frozenAtMs,
    }),
  });
  return {
    ...server,
    service: 'pve',
    configSection: { url: server.url, fingerprint: server.fingerprint, node: 'pve1' },
    credentials: { dir: 'pve', values: { PVE_TOKEN_ID: CLI_TOKEN.id, PVE_TOKEN_SECRET: CLI_TOKEN.secret } },
    state, schemaViolations, rootPassword, options: timing,
    tokens: { cli: CLI_TOKEN, readonly: READONLY_TOKEN },
    failNextTask: (match, message) => tasks.failNext(match, message),
    holdTasks: (match) => tasks.hold(match),
    revokeToken: (id, revoked = true) => { if (revoked) access.revoked.add(id); else access.revoked.delete(id); },
    close: async () => {
      tasks.close();
      await server.close();
    },
  };
}
