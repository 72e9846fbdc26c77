/**
 * `check` on the other surfaces, from the registry alone: the bot's `/check` (through
 * telegram-test-api) lists the findings with their fixes, and MCP offers `check` as a
 * read tool whose call carries the findings as text and as structured content. Errors
 * found are the check's answer, not a tool error (the CLI's exit 1 is a linter's
 * convention); a service that could not be read is a partial failure, and stays one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fqdn } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';

const ALL = ['pve', 'dns', 'proxy', 'kuma', 'pbs', 'beszel'];
let h: Harness;
beforeAll(async () => { h = await startHarness({ services: ALL }); });
afterAll(async () => { await h?.stop(); });

describe('check on Telegram and MCP', () => {
  it('/check replies with the findings and their fixes', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/check');
    const reply = await owner.waitForMessage((m) => m.plain.includes('fix:'), 'the findings', before);
    expect(reply.plain).toContain(`forwards to VM ${trouble.stoppedGuest} (media), which is stopped`);
    // The fix names the bot's command (surfaces/telegram/bot-text).
    expect(reply.plain).toContain(`fix: /pve start ${trouble.stoppedGuest}`);
    expect(reply.plain).toContain(`${fqdn(trouble.destroyedGuest.name)} points at ${trouble.destroyedGuest.ip}`);
  });

  it('MCP lists check as a read tool and answers with the findings', async () => {
    const server = await startServer(h.lab, 'read');
    try {
      const client = await connect(server);
      const tool = (await client.listTools()).tools.find((t) => t.name === 'check');
      expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      const result = await client.callTool({ name: 'check', arguments: {} });
      expect(textOf(result)).toContain(`fix: homelab pve start ${trouble.stoppedGuest}`);
      const structured = JSON.stringify(result.structuredContent ?? {});
      expect(structured).toContain(`"kind":"stale-record"`);
      // The check ran and found errors: its answer, with the count after the table and in the structured content.
      const errors = (result.structuredContent as { errors: number }).errors;
      expect(errors).toBeGreaterThan(0);
      expect(result.isError, textOf(result)).toBeFalsy();
      const texts = (result.content as { text: string }[]).map((c) => c.text);
      expect(texts.at(-1)).toBe(`check: ${errors} error${errors === 1 ? '' : 's'} found`);

      // A service that cannot be read: its checks are unknown, a partial failure, flagged.
      const beszel = h.lab.sims.get('beszel');
      if (!beszel) throw new Error('no beszel simulator');
      beszel.faults.resetNext = 1000;
      try {
        const partial = await client.callTool({ name: 'check', arguments: { timeout: 5 } });
        expect(partial.isError).toBe(true);
        expect(textOf(partial)).toContain('failed: beszel');
        expect((partial.content as { text: string }[]).at(-1)?.text).toMatch(/^check: 1 of 6 services failed \(beszel\)/);
      } finally {
        beszel.faults.resetNext = 0;
      }
      await client.close();
    } finally {
      await server.close();
    }
  });
});
