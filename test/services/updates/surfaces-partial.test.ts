/**
 * A partial failure of a fan-out command on the other surfaces (docs/exit-codes.md): the
 * bot replies with the rendered result, then one line saying what failed; MCP answers
 * the same content plus that line, flagged `isError`, with the result as structured content.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../../src/lab/lab.js';
import { attachSshTargets, type SshLab } from '../../../src/lab/ssh-target/index.js';
import type { UpdatesReport } from '../../../src/services/updates/index.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer } from '../../surfaces/mcp/helpers.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';

describe('updates check over MCP with one target refused', () => {
  const holder = useLab({ services: ['pve'] });
  let lab: RunningLab;
  let ssh: SshLab;
  let server: McpHttpServer;
  let client: Client;

  beforeAll(async () => {
    lab = holder.current;
    ssh = await attachSshTargets(lab);
    const forgejo = ssh.targets.get('forgejo');
    writeFileSync(ssh.knownHosts, readFileSync(ssh.knownHosts, 'utf8').replace(`${forgejo?.knownHostsLine}\n`, ''));
    server = await startServer(lab, 'read');
    client = await connect(server);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await ssh?.close();
  });

  it('answers the report and the failure line, flagged isError', async () => {
    const result = await client.callTool({ name: 'updates_check', arguments: { nodes: false } });
    expect(result.isError).toBe(true);
    const content = result.content as { type: string; text: string }[];
    expect(content.map((c) => c.type)).toEqual(['text', 'text']);
    expect(content[0]?.text).toMatch(/^forgejo\s+ssh\s+127\.0\.0\.1:\d+\s+-\s+-\s+-\s+ssh forgejo: host key of 127\.0\.0\.1:\d+ is not known/m);
    expect(content[0]?.text).toMatch(/^dns\s+ssh\s+Debian/m);
    expect(content[1]?.text).toBe('updates check: 1 of 4 targets failed (forgejo)\neach target\'s error and fix are in its row above');
    const report = result.structuredContent as UpdatesReport;
    expect(report.totals).toMatchObject({ targets: 4, reachable: 3, failed: 1 });
  });
});

describe('doctor on Telegram with a service not answering', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pve'] }); });
  afterAll(async () => { await h?.stop(); });

  it('replies with every check, then one line naming the failure', async () => {
    const pve = h.lab.sims.get('pve');
    if (!pve) throw new Error('no pve simulator');
    pve.faults.resetNext = 1000;
    try {
      const owner = h.sim.user({ userId: OWNER });
      const before = owner.messages().length;
      await owner.send('/doctor');
      const failure = await owner.waitForMessage((m) => m.plain.includes('doctor: 1 of'), 'the failure line', before);
      expect(failure.plain).toMatch(/^\/doctor\n⚠️ doctor: 1 of \d+ checks failed \(pve answers\)\nfix the failures above/);
      const replies = owner.messages().slice(before).map((m) => m.plain);
      const table = replies.find((t) => t.includes('pve') && t.includes('answers') && !t.includes('⚠️'));
      expect(table).toMatch(/✗ pve\s+answers\s+pve: /);
      expect(table).toMatch(/✓ telegram/);
      expect(replies.indexOf(table ?? '')).toBeLessThan(replies.indexOf(failure.plain));
    } finally {
      pve.faults.resetNext = 0;
    }
  });
});
