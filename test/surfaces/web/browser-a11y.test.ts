/**
 * The dashboard's accessibility in Chromium: every visible text on the pages that carry
 * buttons, reasons and badges (sign-in, a service page once its sections loaded, a
 * detail page on a read-only, a `--allow change` and a `--allow danger` server, a
 * disabled form, the confirmation of a destructive run) has a contrast of at least
 * 4.5:1 in the light and the dark scheme, computed from the colours the browser computed;
 * a withheld action is reached with Tab, described by a visible reason, and pressing it
 * does nothing, nor does Enter in a withheld form's field; a service page says once, in its status line, that its sections loaded,
 * and a section kept for when asked loads from the keyboard, the focus staying on its button.
 * On a machine without Chromium the file reports one skipped line naming the package.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegistry } from '../../../src/services/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import { startWebServer, type WebServer } from '../../../src/surfaces/web/server.js';
import { SKIP_LINE, USER, haveChromium, signIn, useBrowserEnv } from './browser-env.js';
import { TEXT_SAMPLES, effectiveRatio, type TextSample } from './contrast.js';

/** The focused element as the test reads it (the tests' types have no DOM library). */
interface Focused {
  text: string;
  type: string | null;
  disabled: string | null;
  describedBy: string | null;
  inForm: boolean;
}

const FOCUSED = `(() => { const el = document.activeElement; return el ? { text: (el.textContent || '').trim(), type: el.getAttribute('type'), disabled: el.getAttribute('aria-disabled'), describedBy: el.getAttribute('aria-describedby'), inForm: !!el.closest('form') } : null; })()`;

/** The texts of the page below 4.5:1, with their ratio; `seen`: the starts of texts that must have been measured. */
async function lowContrast(page: Page, seen: string[] = []): Promise<string[]> {
  const samples = await page.evaluate<TextSample[]>(TEXT_SAMPLES);
  expect(samples.length).toBeGreaterThan(3);
  for (const what of seen) expect(samples.some((s) => s.what.startsWith(what)), `${what} measured`).toBe(true);
  return samples.map((s) => ({ s, ratio: effectiveRatio(s) })).filter(({ ratio }) => ratio < 4.5).map(({ s, ratio }) => `${s.what}: ${ratio.toFixed(2)}:1`);
}

/** Waits until every section a page loads has arrived. */
async function loaded(page: Page): Promise<void> {
  await page.locator('[data-src][aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 30_000 });
}

if (!haveChromium) {
  process.stderr.write(`${SKIP_LINE}\n`);
  describe('dashboard accessibility in Chromium', () => {
    it.skip(SKIP_LINE, () => undefined);
  });
} else {
  const env = useBrowserEnv();
  let danger: WebServer;
  beforeAll(async () => {
    const { lab } = env.current;
    danger = await startWebServer({
      registry: getRegistry(), allow: 'danger', env: { ...process.env, ...lab.env }, passwords: new Map([[USER.name, await hashPassword(USER.password)]]),
      localUser: 'local', loopback: true, host: '127.0.0.1', port: 0, refreshMs: 600_000, alertPollMs: 600_000, timeoutMs: 30_000, log: () => undefined,
    });
  });
  afterAll(async () => {
    await danger?.close();
  });

  /** Signs in on `server` at `path`, in `scheme`. */
  async function open(browser: Browser, server: WebServer, path: string, scheme: 'light' | 'dark'): Promise<Page> {
    const page = await signIn(browser, server, path);
    await page.emulateMedia({ colorScheme: scheme });
    return page;
  }

  describe('dashboard accessibility in Chromium', () => {
    it.each(['light', 'dark'] as const)('every visible text reaches 4.5:1 in the %s scheme', async (scheme) => {
      const { browser, ro, rw } = env.current;
      const low: string[] = [];
      const login = await (await browser.newContext({ colorScheme: scheme })).newPage();
      await login.goto(`${ro.url}/login`);
      low.push(...(await lowContrast(login, ['button "Sign in"'])).map((l) => `/login ${l}`));
      await login.context().close();
      const pages: [WebServer, string, string[]][] = [
        [ro, '/s/pve', ['span.badge.change "change"']], [ro, '/op/pve.status?vmid=201', ['button "start"', 'button.danger "destroy"', 'p.disabled-reason "Disabled: changes state']],
        [ro, '/op/pve.start?vmid=201', ['button "Review…"']], [rw, '/op/pve.status?vmid=201', ['button "start"']], [rw, '/op/pve.start?vmid=201', ['button "Review…"']],
        [danger, '/op/pve.status?vmid=201', ['button.danger "destroy"']],
      ];
      for (const [server, path, seen] of pages) {
        const page = await open(browser, server, path, scheme);
        await loaded(page);
        low.push(...(await lowContrast(page, seen)).map((l) => `${path} ${l}`));
        await page.context().close();
      }
      // The confirmation of a destructive run: its red Confirm and run button (not pressed).
      const page = await open(browser, danger, '/op/pve.status?vmid=201', scheme);
      await page.getByRole('button', { name: 'destroy', exact: true }).click();
      const confirm = page.getByRole('button', { name: 'Confirm and run' });
      await confirm.waitFor();
      await expect(confirm.getAttribute('class')).resolves.toBe('danger');
      low.push(...(await lowContrast(page, ['button.danger "Confirm and run"'])).map((l) => `confirm destroy ${l}`));
      await page.context().close();
      expect(low).toEqual([]);
    }, 120_000);

    it('reaches a withheld action with Tab, describes it with the visible reason, and does nothing when it is pressed', async () => {
      const sim = env.current.lab.sims.get('pve') as PveSim;
      const before = sim.state.guests.get(201)?.status;
      const page = await signIn(env.current.browser, env.current.ro, '/op/pve.status?vmid=201');
      let focused: Focused | null = null;
      for (let i = 0; i < 150 && focused?.text !== 'start'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate<Focused | null>(FOCUSED);
      }
      expect(focused).toMatchObject({ text: 'start', type: 'button', disabled: 'true', describedBy: 'actions-why-change', inForm: false });
      const reason = page.locator('#actions-why-change');
      await expect(reason.isVisible()).resolves.toBe(true);
      await expect(reason.textContent()).resolves.toBe('Disabled: changes state: this dashboard is read-only; restart it with --allow change to enable');
      const at = page.url();
      const posts: string[] = [];
      page.on('request', (r) => { if (r.method() !== 'GET') posts.push(r.url()); });
      await page.keyboard.press('Enter');
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'start', exact: true }).click({ force: true });
      // A request sent after the presses: a submit they caused would have been sent before it.
      await Promise.all([page.waitForRequest((r) => r.url().endsWith('/favicon.svg?after')), page.evaluate(`fetch('/favicon.svg?after')`)]);
      expect(posts).toEqual([]);
      expect(page.url()).toBe(at);
      expect(sim.state.guests.get(201)?.status).toBe(before);
      await page.context().close();
    });

    it("reaches a withheld operation's own form with Tab: its fields and its Review button, announced as disabled with the reason", async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/op/pve.start');
      let focused: Focused | null = null;
      for (let i = 0; i < 60 && focused?.text !== 'Review…'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate<Focused | null>(FOCUSED);
      }
      expect(focused).toMatchObject({ text: 'Review…', type: 'button', disabled: 'true', inForm: true });
      await expect(page.locator(`#${String(focused?.describedBy)}`).textContent()).resolves.toMatch(/^Disabled: changes state: this dashboard is read-only/);
      await page.context().close();
    });

    it('submits nothing when Enter is pressed in a withheld form whose one text field would submit it', async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/op/pve.start');
      const at = page.url();
      const posts: string[] = [];
      page.on('request', (r) => { if (r.method() !== 'GET') posts.push(r.url()); });
      await page.getByLabel('VMID').fill('201');
      await page.getByLabel('VMID').press('Enter');
      // A request sent after the press: a submit it caused would have been sent before it.
      await Promise.all([page.waitForRequest((r) => r.url().endsWith('/favicon.svg?after')), page.evaluate(`fetch('/favicon.svg?after')`)]);
      expect(posts).toEqual([]);
      expect(page.url()).toBe(at);
      await page.context().close();
    });

    it('says in the status line how many sections of a service page could not be read', async () => {
      const sim = env.current.lab.sims.get('pve') as PveSim;
      sim.faults.failNext = { count: 100_000, status: 500 };
      try {
        const page = await signIn(env.current.browser, env.current.ro, '/s/pve');
        const sections = await page.locator('[data-src]').count();
        await page.locator('#live-note', { hasText: /loaded/ }).waitFor({ state: 'attached', timeout: 30_000 });
        await expect(page.locator('#live-note').textContent()).resolves.toBe(`All ${sections} sections loaded; ${sections} could not be read`);
        await page.locator('button[data-reload="view-pve-list"]').click();
        await page.locator('#live-note', { hasText: /pve list/ }).waitFor({ state: 'attached', timeout: 20_000 });
        await expect(page.locator('#live-note').textContent()).resolves.toBe('pve list could not be read');
        await page.context().close();
      } finally {
        sim.faults.failNext = undefined;
      }
    }, 60_000);

    it('says once, in the status line, that the sections of a service page have loaded', async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/s/pve');
      await loaded(page);
      const sections = await page.locator('[data-src]').count();
      expect(sections).toBeGreaterThan(5);
      await expect(page.locator('[aria-live]').count()).resolves.toBe(1);
      const note = page.locator('#live-note');
      await page.locator('#live-note', { hasText: /loaded/ }).waitFor({ state: 'attached' });
      await expect(note.textContent()).resolves.toBe(`All ${sections} sections loaded`);
      await page.locator('button[data-reload="view-pve-list"]').click();
      await page.locator('#live-note', { hasText: /reloaded$/ }).waitFor({ state: 'attached', timeout: 20_000 });
      await expect(note.textContent()).resolves.toBe('pve list reloaded');
      await page.context().close();
    });

    it('loads a section kept for when asked from the keyboard, says so once, and keeps the focus on its button', async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/s/pve');
      await loaded(page);
      const button = page.locator('button[data-load="view-pve-configs"]');
      await expect(button.isVisible()).resolves.toBe(true);
      await expect(page.locator('#view-pve-configs table').count()).resolves.toBe(0);
      await button.focus();
      await page.keyboard.press('Enter');
      await page.locator('#live-note', { hasText: 'pve configs loaded' }).waitFor({ state: 'attached', timeout: 20_000 });
      await expect(page.locator('#view-pve-configs table').count()).resolves.toBe(1);
      await expect(page.locator('#view-pve-configs').getAttribute('aria-busy')).resolves.toBe('false');
      await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-load'))).resolves.toBe('view-pve-configs');
      await expect(button.textContent()).resolves.toBe('Refresh');
      await page.context().close();
    });
  });
}
