/**
 * `homelab doctor` and the PVE and PBS clients agree on the API token: doctor sends the
 * very `Authorization` header the client sends (the secret percent-encoded, as both
 * servers decode it), so a secret with `%` in it is let in by both or neither, and doctor
 * passes exactly the token ids the client factory accepts (`root@pam!9homelab` is a valid
 * PBS token, not a valid PVE one). Against the PVE and PBS simulators over HTTPS.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { closeAllAgents } from '../../../src/core/http/index.js';
import { runDoctor } from '../../../src/services/setup/doctor/operation.js';
import { probePbs } from '../../../src/services/setup/doctor/probes/pbs.js';
import { probePve } from '../../../src/services/setup/doctor/probes/pve.js';
import type { Probe } from '../../../src/services/setup/doctor/probes/types.js';
import { pbsClientFactory } from '../../../src/services/pbs/factory.js';
import { ALL_PRIVS } from '../../../src/services/pbs/sim/state.js';
import { startPbsSim, type PbsSim } from '../../../src/services/pbs/sim/index.js';
import { pveClientFactory } from '../../../src/services/pve/factory.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';

let pve: PveSim;
let pbs: PbsSim;
let pveSecret = '';
const PBS_ID = 'root@pam!9homelab';
/** A secret whose raw form the servers would decode into something else. */
const PBS_SECRET = 'p%41ss/w:rd';
const dir = mkdtempSync(join(tmpdir(), 'homelab-doctor-token-'));
const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };

function credentials(folder: string, text: string): void {
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, folder), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, folder, 'credentials'), text, { mode: 0o600 });
}

/** The distinct `Authorization` headers a simulator received from request `from` on. */
function headersSince(sim: PveSim | PbsSim, from: number): string[] {
  return [...new Set(sim.requests.slice(from).map((r) => String(r.headers.authorization)))];
}

const deps = (): Parameters<typeof pveClientFactory.create>[0] => ({ config: loadConfig(env), env, dataDir: env.HOMELAB_DATA_HOME, progress: () => undefined });

beforeAll(async () => {
  [pve, pbs] = await Promise.all([startPveSim({ authFailDelayMs: 0, taskDurationMs: 50 }), startPbsSim({ authFailDelayMs: 0, forbiddenDelayMs: 0 })]);
  // The simulator's token, given a secret with "%" in it (restored afterwards).
  pveSecret = pve.tokens.cli.secret;
  pve.tokens.cli.secret = `${pveSecret}%2B`;
  pbs.addToken('9homelab', ALL_PRIVS);
  (pbs.state.tokens.get(PBS_ID) as { secret: string }).secret = PBS_SECRET;
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
    'services:',
    `  pve: { url: "${pve.url}", fingerprint: "${pve.fingerprint}", node: pve1 }`,
    `  pbs: { url: "${pbs.url}", fingerprint: "${pbs.fingerprint}" }`,
    '',
  ].join('\n'), { mode: 0o600 });
  credentials('pve', `PVE_TOKEN_ID=${pve.tokens.cli.id}\nPVE_TOKEN_SECRET=${pve.tokens.cli.secret}\n`);
  credentials('pbs', `PBS_TOKEN_ID=${PBS_ID}\nPBS_TOKEN_SECRET=${PBS_SECRET}\n`);
});

afterAll(async () => {
  if (pveSecret) pve.tokens.cli.secret = pveSecret;
  await closeAllAgents();
  await Promise.all([pve.close(), pbs.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('doctor and the clients, one token', () => {
  it('send the same header, and both are let in', async () => {
    const [pveFrom, pbsFrom] = [pve.requests.length, pbs.requests.length];
    const result = await runDoctor(env, AbortSignal.timeout(30_000));
    const status = (area: string, name: string): string | undefined => result.checks.find((c) => c.area === area && c.name === name)?.status;
    expect(result.checks.filter((c) => c.status !== 'pass'), JSON.stringify(result.checks)).toEqual([]);
    expect([status('pve', 'answers'), status('pve', 'privileges'), status('pbs', 'token'), status('pbs', 'answers'), status('pbs', 'datastores')]).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    const doctorSent = { pve: headersSince(pve, pveFrom), pbs: headersSince(pbs, pbsFrom) };

    const [pveClientFrom, pbsClientFrom] = [pve.requests.length, pbs.requests.length];
    await expect((await pveClientFactory.create(deps())).version()).resolves.toMatchObject({ version: expect.any(String) });
    await expect((await pbsClientFactory.create(deps())).version()).resolves.toMatchObject({ version: expect.any(String) });
    const clientSent = { pve: headersSince(pve, pveClientFrom), pbs: headersSince(pbs, pbsClientFrom) };

    expect(doctorSent).toEqual(clientSent);
    expect(clientSent).toEqual({
      pve: [`PVEAPIToken=homelab@pve!cli=${pveSecret}%252B`],
      pbs: [`PBSAPIToken=${PBS_ID}:p%2541ss%2Fw%3Ard`],
    });
  });
});

describe('doctor and the client factories, token ids', () => {
  const ids = [
    'root@pam!homelab', 'root@pam!9homelab', 'root@pam!_ci', 'homelab@pve!cli.2', 'a=b@pam!x', 'ops.team@ldap-1!t-1',
    'root@pam', 'root@pam!', 'root@pam!homelab:secret', 'root@pam!homelab=secret', 'root pam!x', '@pam!x', 'root@pam!ho me',
  ];

  /** Whether the factory makes a client with this token id (no request is sent). */
  async function factoryAccepts(service: 'pve' | 'pbs', id: string): Promise<boolean> {
    const key = service.toUpperCase();
    credentials(service, `${key}_TOKEN_ID=${id}\n${key}_TOKEN_SECRET=x\n`);
    const factory = service === 'pve' ? pveClientFactory : pbsClientFactory;
    try {
      await factory.create(deps());
      return true;
    } catch (err) {
      if (!(err instanceof ConfigError) || !/_TOKEN_ID/.test(err.message)) throw err;
      return false;
    }
  }

  /** Whether doctor's probe takes the id (it then asks the server, which does not know the token). */
  async function doctorAccepts(probe: Probe, sim: PveSim | PbsSim, service: 'pve' | 'pbs', id: string): Promise<boolean> {
    const key = service.toUpperCase();
    const checks = await probe({
      section: { url: sim.url, fingerprint: sim.fingerprint }, credentials: { [`${key}_TOKEN_ID`]: id, [`${key}_TOKEN_SECRET`]: 'x' },
      credentialsPath: join(env.HOMELAB_CONFIG_HOME, service, 'credentials'), signal: AbortSignal.timeout(10_000),
    });
    return !checks.some((c) => c.name === 'token' && c.status === 'fail');
  }

  it.each(ids)('agree on %s', async (id) => {
    for (const [service, probe, sim] of [['pve', probePve, pve], ['pbs', probePbs, pbs]] as const) {
      expect(await doctorAccepts(probe, sim, service, id), `${service} doctor vs client`).toBe(await factoryAccepts(service, id));
    }
  });

  it('take root@pam!9homelab for PBS, not for PVE (a PVE token name starts with a letter)', async () => {
    expect([await factoryAccepts('pbs', PBS_ID), await doctorAccepts(probePbs, pbs, 'pbs', PBS_ID)]).toEqual([true, true]);
    expect([await factoryAccepts('pve', PBS_ID), await doctorAccepts(probePve, pve, 'pve', PBS_ID)]).toEqual([false, false]);
  });
});
