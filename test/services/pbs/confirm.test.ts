/**
 * What `pbs gc` and `pbs verify` say they will do before they run (the bot's Confirm/Cancel
 * question, the web page): the datastore, the group and its namespace, whether snapshots
 * verified before are checked again, and whether GC is only looked at, instead of "Run pbs
 * gc". The lines come from the registered operations with their input parsed as every
 * surface parses it; the bot's question is read off the Telegram simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegistry } from '../../../src/services/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';

/** The confirm line of operation `id` for `raw` input, parsed by the operation's schema. */
function confirmLine(id: string, raw: Record<string, unknown>): string | undefined {
  const op = getRegistry().get(id);
  if (!op) throw new Error(`${id} is not registered`);
  return op.confirm?.(op.input.parse(raw) as never);
}

describe('pbs gc and pbs verify say what will happen', () => {
  it.each([
    ['pbs.gc', { start: true }, 'Start garbage collection on the default datastore and wait for it: chunks no backup uses any more are deleted'],
    ['pbs.gc', { store: 'main', start: true, wait: false }, 'Start garbage collection on datastore main: chunks no backup uses any more are deleted'],
    ['pbs.gc', { store: 'main' }, 'Show the garbage collection status of datastore main (nothing is started)'],
    ['pbs.verify', {}, 'Verify the default datastore (every namespace) and wait for the result: the snapshots not verified yet (PBS reads all their chunks)'],
    ['pbs.verify', { store: 'main', group: 'ct/106', all: true }, 'Verify backup group ct/106 on datastore main and wait for the result: every snapshot, those verified before too (PBS reads all their chunks)'],
    ['pbs.verify', { group: 'ct/106', ns: 'pve', wait: false }, 'Verify backup group ns/pve/ct/106 on the default datastore: the snapshots not verified yet (PBS reads all their chunks)'],
    ['pbs.verify', { group: 'vm/101', ns: '/' }, 'Verify backup group vm/101 in the root namespace on the default datastore and wait for the result: the snapshots not verified yet (PBS reads all their chunks)'],
  ])('%s %j', (id, raw, line) => {
    expect(confirmLine(id, raw)).toBe(line);
  });
});

describe('the bot asking about pbs gc --start', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pbs'] }); });
  afterAll(async () => { await h?.stop(); });

  it('names the datastore and what GC does instead of "Run pbs gc"', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/pbs gc --store main --start');
    const q: SentMessage = await owner.waitForMessage((m) => Boolean(m.buttons), 'the question of /pbs gc --start', before);
    expect(q.plain.split('\n')[0]).toBe('⚠️ Confirm: Start garbage collection on datastore main and wait for it: chunks no backup uses any more are deleted');
    expect(q.plain).not.toContain('Run pbs');
  });
});
