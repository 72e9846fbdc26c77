/**
 * MCP tool inputs are strict: an argument a tool does not take is refused by name before
 * anything is read or sent (an agent's `noMonitor`, `websocket` would otherwise be dropped
 * and a different plan run), the schemas say `additionalProperties: false`, and what only
 * the command line takes (`plan`'s `detailedExitcode`) is neither offered nor accepted.
 * Over real HTTP against the simulated lab.
 */
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { useLab } from '../../helpers/lab.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma'] });

describe('strict tool inputs', () => {
  it('refuses unknown arguments by name, sending nothing, and the schemas forbid them', async () => {
    const server = await startServer(lab.current, 'change');
    const agent = await connect(server);
    try {
      const { tools } = await agent.listTools();
      const expose = tools.find((t) => t.name === 'expose');
      expect(expose?.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(expose?.inputSchema.properties ?? {})).toContain('websockets');
      const plan = tools.find((t) => t.name === 'plan');
      expect(Object.keys(plan?.inputSchema.properties ?? {})).not.toContain('detailedExitcode');

      const dns = lab.current.sims.get('dns') as DnsSim;
      const proxy = lab.current.sims.get('proxy') as ProxySim;
      const kuma = lab.current.sims.get('kuma') as KumaSim;
      const sent = (): number => dns.requests.length + proxy.requests.length + kuma.events.length;
      const before = sent();
      const res = await agent.callTool({ name: 'expose', arguments: { name: 'agentapp', target: 'forgejo:3000', noMonitor: true, websocket: true, dryRun: true } });
      expect(res.isError).toBe(true);
      expect(textOf(res)).toMatch(/^invalid arguments: expose: unknown arguments noMonitor, websocket; it takes name, target, dns, scheme, websockets, /);
      expect(sent()).toBe(before);

      const ok = await agent.callTool({ name: 'expose', arguments: { name: 'agentapp', target: 'forgejo:3000', monitor: false, websockets: true, dryRun: true } });
      expect(ok.isError, textOf(ok)).toBeFalsy();
      expect(textOf(ok)).toContain('websockets');
      expect(textOf(ok)).not.toContain('Kuma HTTP monitor');

      const detailed = await agent.callTool({ name: 'plan', arguments: { detailedExitcode: true } });
      expect(detailed.isError).toBe(true);
      expect(textOf(detailed)).toContain('--detailed-exitcode is for the command line');
      expect(textOf(detailed)).not.toContain('exit 2');
    } finally {
      await agent.close();
      await server.close();
    }
  });
});
