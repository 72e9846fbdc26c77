import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegistry } from '../../../src/services/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { OWNER, startHarness, type Harness } from './harness.js';

/** The one operation that falls back to `Run <op>`: init (not a bot command). */
const LEFT = ['init'];

describe('what a change operation says it will do', () => {
  it('every change and danger operation has a confirm line or a preview', () => {
    const bare = getRegistry().all().filter((op) => op.risk !== 'read' && !op.confirm && !op.preview).map((op) => op.id);
    expect(bare.filter((id) => !LEFT.includes(id))).toEqual([]);
  });

  it.each([
    [{ name: 'myhost', ip: '10.5.0.50', ptr: true, ttl: 300, replace: false }, 'dns.add', 'Add the A record myhost → 10.5.0.50 (TTL 300 s, with its reverse (PTR) record)'],
    [{ name: 'web', ip: 'fd00::60', from: 'fd00::20', ptr: true }, 'dns.update', 'Change the AAAA record web from fd00::20 to fd00::60, moving its reverse (PTR) record too'],
    [{ name: 'wiki', target: 'proxy', zone: 'home.lan', replace: true }, 'dns.add-cname', 'Add the CNAME record wiki → proxy in zone home.lan (pointing an existing CNAME there elsewhere)'],
    [{ domains: ['a.home.lan', 'b.home.lan'], target: { host: 'fd00::5', port: 8080 }, newCert: true, forceSsl: true, app: 'wiki' }, 'proxy.add', "Create a proxy host for a.home.lan, b.home.lan → http://[fd00::5]:8080 (a new Let's Encrypt certificate, forced HTTPS, marked for app wiki)"],
    [{ host: '7', websockets: true, blockExploits: false, cert: 0 }, 'proxy.update', 'Change proxy host 7: no certificate (no TLS), websockets, no exploit blocking'],
    [{ host: 'media.home.lan' }, 'proxy.disable', 'Disable proxy host media.home.lan (its config is removed from nginx: its domains stop answering)'],
    [{ monitor: 'media', interval: 300, retries: 2 }, 'kuma.edit', 'Change the monitor media: every 300 s, 2 retries before down (the rest is kept)'],
    [{ monitor: 'media' }, 'kuma.pause', 'Pause the monitor media: no checks and no notifications until it is resumed'],
    [{ check: 'backups', duration: '12h' }, 'watch.mute', 'Mute the alerts of the backups check for 12h'],
    [{ duration: 'off' }, 'watch.maintenance', 'End the maintenance window: alerts are sent again'],
  ])('%j for %s', (input, id, line) => {
    expect(getRegistry().get(id)?.confirm?.(input as never)).toBe(line);
  });
});

describe('the bot asking about a change', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pve', 'dns', 'proxy', 'kuma'] }); });
  afterAll(async () => { await h?.stop(); });

  async function question(text: string): Promise<SentMessage> {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send(text);
    return owner.waitForMessage((m) => Boolean(m.buttons), `the question of ${text}`, before);
  }

  it('names the monitor, its URL and its schedule, escaped, instead of "Run kuma add http"', async () => {
    const q = await question('/kuma add http "<b>A&B_*</i>" https://x.home.lan --retries 1');
    expect(q.plain.split('\n')[0]).toBe('⚠️ Confirm: Add the HTTP monitor "<b>A&B_*</i>" for https://x.home.lan (every 60 s, 1 retry before down)');
    expect(q.plain).not.toContain('Run kuma');
  });

  it('names the record a dns add writes', async () => {
    const q = await question('/dns add myhost 10.5.0.50 --ttl 300');
    expect(q.plain.split('\n')[0]).toBe('⚠️ Confirm: Add the A record myhost → 10.5.0.50 (TTL 300 s)');
  });
});
