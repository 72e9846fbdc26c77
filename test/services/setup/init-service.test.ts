/**
 * What `homelab init` asks about one service, driven through `askService` and `askValue`
 * with scripted answers: Telegram ids the `telegram:` config schema refuses (0, a shared id,
 * one past the safe integers) are asked again with the schema's reason, never written; token
 * ids are judged by the PVE and PBS clients' own checks; a pin the server's renewed
 * certificate no longer matches is dropped when the new one is declined; an `HTTPS://` URL
 * is offered a pin and written in lower case. The certificate is a real TLS server's, on loopback.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { selfSignedCert } from '../../../src/lab/sim-cert.js';
import { askValue, type Ask } from '../../../src/services/setup/init-questions.js';
import { askService } from '../../../src/services/setup/init-service.js';
import { serviceSpecs, type ServiceSpec } from '../../../src/services/setup/service-specs.js';
import { telegramConfigSchema } from '../../../src/services/telegram/config.js';

const STALE_PIN = Array.from({ length: 32 }, () => 'AB').join(':');

/** An `Ask` answering each question by the first pattern it matches (its answers in turn, the last repeating); the questions asked. */
function scripted(answers: [RegExp, ...string[]][]): { ask: Ask; asked: string[] } {
  const asked: string[] = [];
  const queues = answers.map(([re, ...said]) => ({ re, said }));
  const ask: Ask = async (question) => {
    asked.push(question);
    const hit = queues.find((q) => q.re.test(question));
    return (hit && hit.said.length > 1 ? hit.said.shift() : hit?.said[0]) ?? '';
  };
  return { ask, asked };
}

function spec(key: string): ServiceSpec {
  const s = serviceSpecs.find((x) => x.key === key);
  if (!s) throw new Error(`no spec ${key}`);
  return s;
}

const signal = new AbortController().signal;
const BOT_TOKEN = '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('init: Telegram ids', () => {
  it.each([
    ['0', /0 is not a Telegram user id the config takes \(Too small/],
    ['777000', /777000 is not a Telegram user id the config takes \(id 777000 is Telegram's service account/],
    ['1087968824', /1087968824 is not a Telegram user id the config takes \(id 1087968824 is GroupAnonymousBot/],
    ['9999999999999999', /9999999999999999 is not a Telegram user id the config takes \(Too big/],
  ])('asks an owner id %s the config refuses again with the reason, and writes a section the schema takes', async (bad, reason) => {
    const { ask, asked } = scripted([[/TELEGRAM_BOT_TOKEN/, BOT_TOKEN], [/Your Telegram user id/, bad, '4242'], [/Other Telegram user ids/, `77 ${bad}`, '88']]);
    const { section } = await askService(ask, spec('telegram'), 'telegram', { api_root: 'http://127.0.0.1:9' }, {}, signal);
    const owner = asked.filter((q) => /Your Telegram user id/.test(q));
    expect(owner).toHaveLength(2);
    expect(owner[1]).toMatch(reason);
    expect(asked.filter((q) => /Other Telegram user ids/.test(q))[1]).toMatch(reason);
    expect(section).toEqual({ api_root: 'http://127.0.0.1:9', owner_chat_id: 4242, allowed_users: [4242, 88] });
    expect(telegramConfigSchema.safeParse(section).success).toBe(true);
  });

  it('gives up (exit 2) after three ids the config refuses, and does not offer to keep an id it refuses', async () => {
    const { ask, asked } = scripted([[/TELEGRAM_BOT_TOKEN/, BOT_TOKEN], [/Your Telegram user id/, '777000']]);
    await expect(askService(ask, spec('telegram'), 'telegram', { owner_chat_id: 0, allowed_users: [0, 55] }, {}, signal)).rejects.toThrow(UsageError);
    expect(asked.find((q) => /Your Telegram user id/.test(q))).toContain('Enter to skip');
    const kept = scripted([[/TELEGRAM_BOT_TOKEN/, BOT_TOKEN]]);
    const { section } = await askService(kept.ask, spec('telegram'), 'telegram', { owner_chat_id: 0, allowed_users: [0, 55] }, {}, signal);
    expect(kept.asked.find((q) => /Other Telegram user ids/.test(q))).toContain('Enter keeps 55)');
    expect(section).toEqual({ allowed_users: [55] });
  });
});

describe('init: token ids', () => {
  /** Whether askValue takes `id` for `key` at the first answer. */
  async function takes(key: string, service: string, id: string): Promise<boolean> {
    const { ask } = scripted([[/./, id, 'root@pam!x']]);
    return (await askValue(ask, spec(service), key, false, undefined)) === id;
  }

  it('takes the PBS token ids the PBS client takes, and refuses those it refuses', async () => {
    expect(await takes('PBS_TOKEN_ID', 'pbs', 'root@pam!9homelab')).toBe(true);
    expect(await takes('PBS_TOKEN_ID', 'pbs', 'root@pam!_ci')).toBe(true);
    expect(await takes('PBS_TOKEN_ID', 'pbs', 'ro:ot@pam!tok')).toBe(false);
    expect(await takes('PBS_TOKEN_ID', 'pbs', 'a/b@pam!tok')).toBe(false);
    expect(await takes('PBS_TOKEN_ID', 'pbs', 'root@pa:m!tok')).toBe(false);
  });

  it('takes the PVE token ids the PVE client takes', async () => {
    expect(await takes('PVE_TOKEN_ID', 'pve', 'root@pam!homelab')).toBe(true);
    expect(await takes('PVE_TOKEN_ID', 'pve', 'root@pam!9homelab')).toBe(false);
  });
});

describe('init: certificate pins', () => {
  let server: Server;
  let url: string;
  let fingerprint: string;
  beforeAll(async () => {
    const cert = await selfSignedCert();
    fingerprint = cert.fingerprint;
    server = createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const creds = { PVE_TOKEN_ID: 'root@pam!homelab', PVE_TOKEN_SECRET: 'secret-1' };

  it('drops a pin the renewed certificate no longer matches when the new one is declined, saying so in the question', async () => {
    const { ask, asked } = scripted([[/Pin the new one\?/, 'n']]);
    const { section } = await askService(ask, spec('pve'), 'services.pve', { url, fingerprint: STALE_PIN }, creds, signal);
    expect(asked.find((q) => /fingerprint/.test(q))).toBe(`  The server's certificate fingerprint is ${fingerprint}; the pinned ${STALE_PIN} no longer matches it (no answers drops that pin). Pin the new one? [Y/n]`);
    expect(section).toEqual({ url });
  });

  it('keeps a pin that still matches when it is offered again and declined', async () => {
    const { ask } = scripted([[/Pin it\?/, 'n']]);
    const { section } = await askService(ask, spec('pve'), 'services.pve', { url, fingerprint: fingerprint.toLowerCase() }, creds, signal);
    expect(section).toEqual({ url, fingerprint: fingerprint.toLowerCase() });
  });

  it('offers a pin for an HTTPS:// URL, written with its scheme in lower case', async () => {
    const { ask, asked } = scripted([[/Proxmox VE URL/, url.replace('https:', 'HTTPS:')], [/Pin it\?/, 'y']]);
    const { section } = await askService(ask, spec('pve'), 'services.pve', undefined, creds, signal);
    expect(asked.some((q) => /Pin it\?/.test(q))).toBe(true);
    expect(section).toEqual({ url, fingerprint });
  });
});
