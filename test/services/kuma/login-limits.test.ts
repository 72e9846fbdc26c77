/**
 * The limits of a Kuma password login, over real sockets: a 2FA code is accepted once, so a
 * second login within one 30 s step (another surface, a fresh token cache) tries the next
 * step's code from KUMA_TOTP_SECRET, and logs in; the login rate limit (shared/api/uptime-kuma.md
 * §2) is "try again later" (exit 4), never "check your password" (exit 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP, Secret } from 'otpauth';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ExitCode, type HomelabError } from '../../../src/core/errors.js';
import { KumaClient, type KumaClientOptions } from '../../../src/services/kuma/client.js';
import { startKumaSim, type KumaSim } from '../../../src/services/kuma/sim/index.js';
import { KumaTokenCache } from '../../../src/services/kuma/token-cache.js';

const dirs: string[] = [];
const clients: KumaClient[] = [];
const sims: KumaSim[] = [];

/** A client with its own (empty) token cache: every one logs in with the password. */
function client(sim: KumaSim, options: Partial<KumaClientOptions> = {}): KumaClient {
  const dir = mkdtempSync(join(tmpdir(), 'kuma-limits-'));
  dirs.push(dir);
  const v = sim.credentials.values;
  const c = new KumaClient({
    url: sim.url, timeoutMs: 3000, apiKey: v.KUMA_API_KEY, username: v.KUMA_USERNAME, password: v.KUMA_PASSWORD, totpSecret: v.KUMA_TOTP_SECRET,
    tokens: new KumaTokenCache(dir, sim.url, v.KUMA_USERNAME ?? ''), ...options,
  });
  clients.push(c);
  return c;
}

async function sim(options: Parameters<typeof startKumaSim>[0]): Promise<KumaSim> {
  const s = await startKumaSim({ afterLoginDelayMs: 0, ...options });
  sims.push(s);
  return s;
}

afterEach(async () => { while (clients.length) await clients.pop()?.close(); });
afterAll(async () => {
  for (const s of sims) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('Kuma login limits', () => {
  it('logs in a second time within one 30 s step with KUMA_TOTP_SECRET (the code used already, then the next one)', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const kuma = await sim({ totpSecret: secret });
    // Both logins in one step: start early in a step (waiting, when near its end, for the next one).
    const intoStep = Date.now() % 30_000;
    if (intoStep > 25_000) await new Promise((r) => setTimeout(r, 30_000 - intoStep + 100));
    const current = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    // The first login (typed at a terminal, say) uses this step's code.
    const first = await client(kuma, { totpSecret: undefined, prompt: async () => current }).socket();
    expect(first.logins.password).toBe(1);
    const second = await client(kuma).socket();
    expect(second.logins.password).toBe(1);
    const codes = kuma.events.filter((e) => e.event === 'login').map((e) => (e.args[0] as { token?: string }).token).filter(Boolean);
    expect(codes[0]).toBe(current);
    expect(codes[1]).toBe(current);
    expect(codes[2]).not.toBe(current);
    expect(codes).toHaveLength(3);
  }, 40_000);

  it('reports the login rate limit as try again later (exit 4), with no credentials hint', async () => {
    const kuma = await sim({ loginsPerMinute: 1 });
    expect((await client(kuma).socket()).logins.password).toBe(1);
    const err = await client(kuma).socket().catch((e: unknown) => e as HomelabError);
    expect(err).toMatchObject({ exitCode: ExitCode.unreachable });
    expect((err as HomelabError).message).toBe("kuma: logins refused for now, over the server's limit of 20 a minute (Too frequently, try again later.)");
    expect((err as HomelabError).hint).toBe('wait a minute and run it again; the credentials were not checked');
  });
});
