/**
 * How a command's end reads in the chat: `/check` that ran and found errors is finished
 * with its findings (its exit 1 is its result), not "failed"; `/plan --detailed-exitcode` is
 * refused (an exit code is the command line's: the plan says what is pending). A partial failure
 * (a part could not be read) is still a failure. And a missing argument is refused by name with
 * the usage, as on the CLI. Through telegram-test-api and the simulated lab.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PartialFailureError } from '../../../src/core/errors.js';
import { defineOperation, type ServiceModule } from '../../../src/core/operation.js';
import { OWNER, startHarness, until, type Harness } from './harness.js';
import { testRegistry } from './test-service.js';

/** `f broken`: reads two parts, one of which fails (a partial failure with its result). */
const failing: ServiceModule = {
  name: 'f', summary: 'Partial failures',
  operations: [defineOperation({
    id: 'f.broken', summary: 'One part of two fails', risk: 'read', input: z.object({}),
    run: async (ctx) => {
      ctx.progress('reading both parts');
      throw new PartialFailureError('f broken: 1 of 2 parts failed (b)', { a: 'ok' }, [{ part: 'b', exitCode: 4 }]);
    },
  })],
};

let h: Harness;
beforeAll(async () => { h = await startHarness({ services: ['pve', 'dns', 'proxy', 'kuma', 'pbs', 'beszel'], registry: testRegistry([failing]) }); });
afterAll(async () => { await h?.stop(); });

/** Sends `text` and waits for the progress message of it to end; returns its final text and the replies. */
async function run(text: string, ending: RegExp) {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  const progress = await until(() => owner.messages().slice(before).find((m) => ending.test(m.plain)), `the end of ${text}`);
  await until(() => owner.messages().slice(before).some((m) => m.plain.startsWith(text.split(' ')[0] as string) && m !== progress && m.plain.includes('⚠️')), `the last line of ${text}`);
  const last = progress.plain;
  return { last, sent: owner.messages().slice(before) };
}

describe('the end of a command', () => {
  it('/check that found errors is finished with its findings, not failed', async () => {
    const { last, sent } = await run('/check', /\/check: (finished|failed)/);
    // What it found is check's own line (`3 errors found`), without the `check: ` it starts with.
    const found = /^✓ \/check: finished in \d+\.\d s, (\d+ errors?\b.*)$/.exec(last)?.[1];
    expect(found, last).toBeDefined();
    expect(sent.some((m) => m.plain.includes('fix: /pve start'))).toBe(true);
    expect(sent.at(-1)?.plain).toBe(`/check\n⚠️ check: ${found}`);
    expect(h.logs.some((l) => l.includes('"command finished"') && l.includes('"op":"check"') && l.includes(`"findings":"${found}"`))).toBe(true);
  });

  it('/plan --detailed-exitcode is refused (an exit code is the command line\'s); /plan shows the changes pending', async () => {
    const labFile = join(h.lab.env.HOMELAB_CONFIG_HOME as string, 'homelab', 'lab.yaml');
    writeFileSync(labFile, 'apps:\n  pad:\n    target: 10.5.0.12:3000\n');
    try {
      const owner = h.sim.user({ userId: OWNER });
      let before = owner.messages().length;
      await owner.send('/plan --detailed-exitcode');
      const refused = await owner.waitForMessage((m) => m.plain.includes('⚠️'), 'the refusal', before, 20_000);
      expect(refused.plain).toMatch(/^\/plan --detailed-exitcode\n⚠️ --detailed-exitcode is for the command line \(an exit code for cron and CI\); on telegram the plan itself says/);
      expect(owner.messages().slice(before).some((m) => m.plain.includes('exit 2'))).toBe(false);
      before = owner.messages().length;
      await owner.send('/plan');
      await owner.waitForMessage((m) => m.plain.includes('/apply makes these changes'), 'the plan', before, 20_000);
    } finally {
      rmSync(labFile, { force: true });
    }
  });

  it('a partial failure still reads as failed, its result shown first', async () => {
    const { last, sent } = await run('/f broken', /\/f broken: (finished|failed)/);
    expect(last).toBe('✖ /f broken: failed');
    expect(sent.some((m) => m.plain.includes('"a": "ok"'))).toBe(true);
    expect(sent.at(-1)?.plain).toBe('/f broken\n⚠️ f broken: 1 of 2 parts failed (b)');
  });
});

describe('a missing argument', () => {
  it('is refused by name with the usage, and nothing runs', async () => {
    const owner = h.sim.user({ userId: OWNER });
    for (const [text, lines] of [
      ['/expose m1', ['⚠️ expose: missing <target>', 'usage: /expose <name> <target> [options]']],
      ['/dns add web', ['⚠️ dns add: missing <ip>', 'usage: /dns add <name> <ip> [options]']],
    ] as const) {
      const before = owner.messages().length;
      await owner.send(text);
      const reply = await owner.waitForMessage(() => true, `reply to ${text}`, before);
      expect(reply.plain.split('\n')).toEqual(lines);
    }
  });
});
