/**
 * Text written for the terminal, as the bot shows it: hints, error messages and `/check`'s
 * fix lines name the bot's commands (`/pve list`, not `homelab pve list`); a command the bot
 * refuses (`export <path>`, `telegram allow`, `bot`) is marked `on the CLI:`. Help examples
 * that use a flag the CLI reads from a file (`--ssh-key ~/.ssh/id_ed25519.pub`) show the text
 * the bot takes instead, and work once the key text is put in.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { SentMessage } from '../../../src/services/telegram/sim/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { botTextFor } from '../../../src/surfaces/telegram/bot-text.js';
import { parseCommandLine } from '../../../src/surfaces/telegram/command-line.js';
import { telegramHint } from '../../../src/surfaces/telegram/errors.js';
import { route } from '../../../src/surfaces/telegram/router.js';
import { OWNER, startHarness, until, type Harness, sendAsOwner } from './harness.js';

const registry = getRegistry();
const forBot = botTextFor(registry);

/** A fresh OpenSSH ed25519 public key line. */
function publicKey(comment: string): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} ${comment}`;
}

describe('CLI command lines rewritten for the bot', () => {
  it.each([
    ['homelab pve list shows the guests', '/pve list shows the guests'],
    ['shut it down cleanly: homelab pve shutdown 108', 'shut it down cleanly: /pve shutdown 108'],
    ['lift the protection first: homelab pve set 202 --no-protection', 'lift the protection first: /pve set 202 --no-protection'],
    ['homelab pve backup 105, and add 105 to a backup job', '/pve backup 105, and add 105 to a backup job'],
    ['homelab dns delete photos --type A && homelab dns add-cname photos dockge', '/dns delete photos --type A\nthen: /dns add-cname photos dockge'],
    ['    fix: homelab dns delete photos --type A --value 10.5.0.11 && homelab dns add-cname photos dockge', '    fix: /dns delete photos --type A --value 10.5.0.11\n    then: /dns add-cname photos dockge'],
    ['send homelab pve for its commands', 'send /pve for its commands'],
    ['homelab plan shows what apply would change', '/plan shows what apply would change'],
    ['homelab watch status', '/watch status'],
    // Refused on the bot: a CLI-only input (a path), a CLI-only operation, a CLI command that is no operation.
    ['homelab export /etc/homelab/lab.yaml writes a starting one', 'on the CLI: homelab export /etc/homelab/lab.yaml writes a starting one'],
    ['homelab plan ./lab.yaml', 'on the CLI: homelab plan ./lab.yaml'],
    ['to let them in: homelab telegram allow 6666', 'to let them in: on the CLI: homelab telegram allow 6666'],
    ['run homelab bot --console', 'run on the CLI: homelab bot --console'],
    ['homelab context use office', 'on the CLI: homelab context use office'],
    // Prose and paths stay.
    ['a record homelab manages', 'a record homelab manages'],
    ['/opt/homelab pve and homelab-bot.service', '/opt/homelab pve and homelab-bot.service'],
    ['(on the CLI: homelab export <path>)', '(on the CLI: homelab export <path>)'],
  ])('%s', (cli, bot) => {
    expect(forBot(cli)).toBe(bot);
  });

  it("a fix in two steps: each line, sent back as it reads, is one command the bot runs (no `&&` argument)", () => {
    const lines = forBot('    fix: homelab dns delete photos --type A --value 10.5.0.11 && homelab dns add-cname photos dockge').split('\n');
    const commands = lines.map((l) => l.replace(/^\s*(?:fix|then): /, ''));
    expect(commands).toEqual(['/dns delete photos --type A --value 10.5.0.11', '/dns add-cname photos dockge']);
    for (const c of commands) {
      const line = parseCommandLine(c);
      if (!line) throw new Error(`${c} is no command`);
      expect(line.words).not.toContain('&&');
      expect(route(registry, line).kind, c).toBe('run');
    }
  });

  it('turns see: hints into send /…, or says the command is for the CLI', () => {
    expect(telegramHint('see: homelab proxy update --help', forBot)).toBe('send /proxy update --help');
    expect(telegramHint('see: homelab proxy show a.lan, or homelab proxy redirects', forBot)).toBe('send /proxy show a.lan, or /proxy redirects');
    expect(telegramHint('see: homelab telegram allow --help', forBot)).toBe('on the CLI: homelab telegram allow --help');
    expect(telegramHint('usage: homelab pve start <vmid>', forBot)).toBe('usage: /pve start <vmid>');
    expect(telegramHint('see: homelab context list', forBot)).toBe('send /help for the labs this bot serves');
  });
});

describe("a run in another lab than the bot's own", () => {
  it.each([
    ['homelab pve list shows the guests', '/pve list --context office shows the guests'],
    ['fix: homelab pve start 201', 'fix: /pve start --context office 201'],
    ['restart it; homelab beszel system "homeassistant" shows its last report', 'restart it; /beszel system --context office "homeassistant" shows its last report'],
    ['homelab dns delete photos --type A && homelab dns add-cname photos dockge', '/dns delete --context office photos --type A\nthen: /dns add-cname --context office photos dockge'],
    ['homelab export /etc/homelab/lab.yaml writes a starting one', 'on the CLI: homelab export /etc/homelab/lab.yaml writes a starting one'],
    // Already naming a lab, or no operation at all: as for the bot's own lab.
    ['homelab pve start 201 --context garage', '/pve start 201 --context garage'],
    ['send homelab pve for its commands', 'send /pve for its commands'],
  ])('names the lab in %j', (text, expected) => {
    expect(forBot(text, 'office')).toBe(expected);
  });

  // A line left for the CLI runs in config.yaml's current lab when pasted, whatever lab the bot serves.
  it.each([
    [undefined, 'office', '/pve list shows the guests; on the CLI: homelab --context office export ./x'],
    ['office', undefined, '/pve list --context office shows the guests; on the CLI: homelab export ./x'],
  ])('bot lab %j, shell lab %j', (lab, shellLab, expected) => {
    expect(forBot('homelab pve list shows the guests; homelab export ./x', lab, shellLab)).toBe(expected);
  });
});

describe('on the bot', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: ['pve', 'dns', 'proxy', 'kuma', 'pbs'] }); });
  afterAll(async () => { await h?.stop(); });

  const send = (text: string, match: (m: SentMessage) => boolean, what: string): Promise<SentMessage> => sendAsOwner(h, text, match, what);

  /** Sends a change and the error it gets: from its preview, or from its run once confirmed. */
  async function refusal(text: string): Promise<SentMessage> {
    const owner = h.sim.user({ userId: OWNER });
    const first = await send(text, (m) => Boolean(m.buttons) || m.plain.includes('⚠️'), `the answer to ${text}`);
    if (!first.buttons) return first;
    const before = owner.messages().length;
    await owner.tap(first, '✅ Confirm');
    return owner.waitForMessage((m) => m.plain.includes('⚠️'), 'the error', before, 20_000);
  }

  it('an unknown guest points at /pve list', async () => {
    const reply = await send('/pve status 999', (m) => m.plain.includes('⚠️'), 'the error');
    expect(reply.plain).toContain('/pve list shows the guests');
    expect(reply.plain).not.toContain('homelab');
  });

  it('a running guest that cannot be destroyed points at /pve shutdown', async () => {
    const reply = await refusal('/pve destroy 200');
    expect(reply.plain).toContain('shut it down cleanly: /pve shutdown 200');
    expect(reply.plain).not.toContain('homelab pve');
  });

  it('a protected guest points at /pve set --no-protection', async () => {
    const guest = (h.lab.sims.get('pve') as PveSim).state.guests.get(202);
    if (!guest) throw new Error('no guest 202');
    guest.config.protection = 1;
    try {
      const reply = await refusal('/pve destroy 202');
      expect(reply.plain).toContain('lift the protection first: /pve set 202 --no-protection');
    } finally {
      delete guest.config.protection;
    }
  });

  it('/plan without a lab file points at /export, whose text the hub owner saves as the file', async () => {
    const reply = await send('/plan', (m) => m.plain.includes('⚠️'), 'the error');
    expect(reply.plain).toMatch(/\n\/export gives a starting one from the live lab; the hub's owner saves it as \S+lab\.yaml/);
    expect(reply.plain).not.toContain('homelab export');
  });

  it("/check's fix lines name the bot's commands", async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    await owner.send('/check');
    const report = await owner.waitForMessage((m) => m.plain.includes('fix: '), 'the findings', before, 30_000);
    await until(() => owner.messages().slice(before).find((m) => m.plain.includes('⚠️ check:')), 'the end of the check');
    const text = owner.messages().slice(before).map((m) => m.plain).join('\n');
    expect(report.plain).toContain('fix: /pve start 201');
    expect(text).toMatch(/fix: \/pve backup \d+, and add/);
    // A fix in two steps: one command a line, each sendable as it reads.
    expect(text).toMatch(/fix: \/dns delete \S+ --type A --value [\d.]+\n\s*then: \/dns add-cname /);
    expect(text).not.toContain('&&');
    expect(text).not.toMatch(/homelab (pve|dns|proxy|kuma|expose|unexpose) /);
  });

  it.each(['/pve clone --help', '/pve create ct --help'])('%s shows the key text in its example, not a file', async (command) => {
    const help = await send(command, (m) => m.plain.includes('Examples'), 'the help');
    expect(help.plain).toContain('--ssh-key "<text of ~/.ssh/id_ed25519.pub>"');
    expect(help.plain).toContain('--ssh-key "<text>"');
    expect(help.plain).not.toMatch(/--ssh-key ~\//);
  });

  it("help texts name the bot's commands too", async () => {
    const help = await send('/kuma add http --help', (m) => m.plain.includes('Options'), 'the help');
    expect(help.plain).toContain('no checks until /kuma resume');
  });

  it('help shows an on-by-default switch in both forms, so its description reads right', async () => {
    const help = await send('/updates check --help', (m) => m.plain.includes('Options'), 'the help');
    expect(help.plain).toContain('--[no-]nodes include the Proxmox nodes');
    expect(help.plain).not.toMatch(/^--no-nodes /m);
  });

  it('the example works once the key text is put in its place', async () => {
    const help = await send('/pve clone --help', (m) => m.plain.includes('Examples'), 'the help');
    const example = help.plain.split('\n').find((l) => l.startsWith('/pve clone') && l.includes('--ssh-key'));
    if (!example) throw new Error('no example with --ssh-key');
    const key = publicKey('me@phone');
    const line = parseCommandLine(example.replace('<text of ~/.ssh/id_ed25519.pub>', key));
    if (!line) throw new Error('the example is no command');
    const r = route(registry, line);
    expect(r.kind).toBe('run');
    if (r.kind === 'run') expect(r.input).toMatchObject({ vmid: 9000, name: 'web1', sshKey: key, start: true });
  });
});
