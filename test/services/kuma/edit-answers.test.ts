/**
 * `kuma edit` reads the monitor whole before it sends it back (`getMonitor`, then
 * `editMonitor`). A `getMonitor` answer that is ok but carries no monitor is the server's
 * fault, not the user's: an unexpected answer (exit 1, as the client says of any answer
 * Kuma's API does not give), and nothing is sent back. Against the simulator over Socket.IO.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnexpectedAnswerError } from '../../../src/core/http/index.js';
import { startKumaSim, type KumaSim } from '../../../src/services/kuma/sim/index.js';
import { homeContext, kumaHome, runOp, type KumaHome } from './home.js';

describe('kuma edit on a getMonitor answer without the monitor', () => {
  let sim: KumaSim;
  let home: KumaHome;
  beforeAll(async () => {
    sim = await startKumaSim({ afterLoginDelayMs: 0 });
    home = kumaHome(sim);
  });
  afterAll(async () => {
    await sim.close();
    home.remove();
  });

  it('fails as an unexpected answer (exit 1) and sends no edit', async () => {
    const id = sim.monitorId('forgejo');
    sim.kumaFaults.bareOk = { event: 'getMonitor', count: 1 };
    const { ctx, close } = homeContext(home);
    try {
      const err = await runOp('kuma.edit', { monitor: 'forgejo', interval: 300 }, ctx).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedAnswerError);
      expect(err).toMatchObject({ exitCode: 1, message: `unexpected answer from kuma: getMonitor answered without monitor ${id}` });
      expect(sim.events.map((e) => e.event)).toContain('getMonitor');
      expect(sim.events.map((e) => e.event)).not.toContain('editMonitor');
    } finally {
      sim.kumaFaults.bareOk = undefined;
      await close();
    }
  });
});
