/**
 * `check` on the other surfaces, from the registry alone: the bot's `/check` (through
 * telegram-test-api) lists the findings with their fixes, and MCP offers `check` as a
 * read tool whose call carries the findings as text and as structured content.
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
    expect(reply.plain).toContain(`fix: homelab pve start ${trouble.stoppedGuest}`);
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
      await client.close();
    } finally {
      await server.close();
    }
  });
});
