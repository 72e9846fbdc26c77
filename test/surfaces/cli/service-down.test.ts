/**
 * A service that is down is named once in a command's output: `homelab exposed` with DNS
 * down says `dns: cannot reach …`, never `dns: dns: …` (the error already names its service),
 * and exits 4 (unreachable). From the built CLI against the simulated lab.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partLine, withoutPart } from '../../../src/core/format.js';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { runCli } from '../../helpers/cli.js';

let lab: RunningLab;
beforeAll(async () => {
  lab = await startLab({ services: ['pve', 'dns', 'proxy', 'kuma'] });
  await lab.sims.get('dns')?.close();
});
afterAll(async () => { await lab?.close(); });

describe('a service down', () => {
  it('is named once by exposed', async () => {
    const r = await runCli(['exposed'], lab.env);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^dns: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/m);
    expect(r.stdout).not.toContain('dns: dns:');
    expect(r.stderr).toContain('exposed: 1 of 3 services failed (dns)');
  });

  it('a part line names the part once, whether or not the message did', () => {
    expect(partLine('dns', 'dns: cannot reach x')).toBe('dns: cannot reach x');
    expect(partLine('dns', 'not configured')).toBe('dns: not configured');
    expect(partLine('dns', 'dnsmasq: gone')).toBe('dns: dnsmasq: gone');
    expect(withoutPart('proxy', 'proxy: refused')).toBe('refused');
  });
});
