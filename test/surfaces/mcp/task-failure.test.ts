/**
 * A task that fails, over MCP: the tool error carries the message, the task log's last
 * lines (as the CLI and the bot show them, at most 20) and the hint, redacted. Over
 * Streamable HTTP on loopback against the lab's PVE simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'pbs'] });
let server: McpHttpServer;

beforeAll(async () => {
  server = await startServer(lab.current, 'change');
});
afterAll(async () => {
  await server?.close();
});

describe('MCP: a failed task', () => {
  it('answers with the task log tail after the message', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    pve.failNextTask(107, 'backup write data failed: No space left on device (os error 28)');
    const client = await connect(server);
    try {
      const result = await client.callTool({ name: 'pve_backup', arguments: { vmid: 107 } });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      const lines = text.split('\n');
      expect(lines[0]).toBe('backup of CT 107 (forgejo) to pbs failed: backup write data failed: No space left on device (os error 28)');
      expect(text).toMatch(/\n {2}TASK ERROR: backup write data failed: No space left on device/);
      expect(lines.filter((l) => l.startsWith('  ')).length).toBeLessThanOrEqual(20);
    } finally {
      await client.close();
    }
  });
});
