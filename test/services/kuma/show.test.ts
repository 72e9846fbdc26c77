/**
 * `homelab kuma show <id|name>` from the built binary against the lab's simulated Uptime
 * Kuma over real sockets: one monitor with its recent heartbeats (newest first, as many as
 * `--beats` asks), by id or by name, and an unknown monitor refused as a usage error (exit 2).
 */
import { describe, expect, it } from 'vitest';
import type { KumaListEntry, KumaShown } from '../../../src/services/kuma/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });

describe('homelab kuma show', () => {
  it('shows one monitor with its recent heartbeats, by id or by name', async () => {
    const list = await runCliJson<KumaListEntry[]>(['kuma', 'list'], env());
    const media = list.find((m) => m.name === 'media') as KumaListEntry;
    const shown = await runCliJson<KumaShown>(['kuma', 'show', String(media.id), '--beats', '3'], env());
    expect(shown).toMatchObject({ id: media.id, name: 'media', type: media.type, target: media.target, active: true });
    expect(shown.heartbeats.length).toBeGreaterThan(0);
    expect(shown.heartbeats.length).toBeLessThanOrEqual(3);
    expect(shown.heartbeats[0]).toMatchObject({ status: 'down' });
    expect(shown.lastHeartbeat).toEqual(shown.heartbeats[0]);
    const times = shown.heartbeats.map((b) => Date.parse(b.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const text = await runCli(['kuma', 'show', 'media'], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^monitor\\s+media \\(id ${media.id}\\)$`, 'm'));
    expect(text.stdout).toMatch(/^Recent heartbeats\nTIME\s+STATUS\s+PING\s+MESSAGE\n.*\bdown\b/m);
  });

  it('refuses an unknown monitor as a usage error', async () => {
    const result = await runCli(['kuma', 'show', 'no-such-monitor'], env());
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('homelab: Uptime Kuma has no monitor named "no-such-monitor"');
  });
});
