/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against
 * `homelab serve` over the simulated lab. Signing in, the overview's seeded trouble,
 * starting the stopped guest through the confirmation page (the simulator's guest really
 * starts), `pve set` changing only what its form names (switches left "unchanged"), a read-only server's disabled action, a visitor without a session, a POST
 * without the CSRF token, charts drawn with their data points, and the lab selector of a
 * dashboard over two labs (switching shows the other lab's guests), the live overview
 * (a note when a restarted dashboard no longer knows the session; open details and focus
 * kept across an update) and the icon. With
 * HOMELAB_SCREENSHOTS=<dir> (`npm run screenshots`) it also keeps screenshots for the README.
 * On a machine without Chromium the file reports one skipped line naming the package.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegistry } from '../../../src/services/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../src/surfaces/web/server.js';
import { applyFindings } from '../../../src/watch/engine.js';
import { WatchStore } from '../../../src/watch/state.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';
import { SKIP_LINE, USER, haveChromium, signIn, useBrowserEnv } from './browser-env.js';

const SHOTS = process.env.HOMELAB_SCREENSHOTS;

/** What a drawn chart box holds: uPlot's series data and how much of its canvas is painted. */
interface Drawn {
  series: number;
  points: number[];
  painted: number;
}

/** The parts of a drawn chart box the test reads in the page (the tests' types have no DOM library). */
interface ChartBox {
  uplot?: { data: (number | null)[][] };
  querySelector(selector: 'canvas'): {
    width: number;
    height: number;
    getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
  } | null;
}

/** Waits for the chart titled `title` to be drawn and reads its uPlot data and canvas. */
async function drawnChart(page: Page, title: string): Promise<Drawn> {
  const figure = page.locator('figure.chart-figure', { has: page.getByText(title, { exact: true }) });
  const box = figure.locator('.chart[data-drawn="true"]');
  await box.waitFor({ timeout: 20_000 });
  return box.evaluate((node) => {
    const el = node as unknown as ChartBox;
    const data = el.uplot?.data ?? [];
    const canvas = el.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    const pixels: ArrayLike<number> = canvas && ctx ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : [];
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
    return { series: data.length - 1, points: data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined).length), painted };
  });
}

if (!haveChromium) {
  // One line in the run's output (vitest's default reporter does not print skipped tests' names).
  process.stderr.write(`${SKIP_LINE}\n`);
  describe('web dashboard in Chromium', () => {
    it.skip(SKIP_LINE, () => undefined);
  });
} else {
  const env = useBrowserEnv();

  describe('web dashboard in Chromium', () => {
    it('sends a visitor without a session to the login page, and signs in', async () => {
      const context = await env.current.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${env.current.rw.url}/s/pve`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await expect(page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(0);
      await page.getByLabel('User name').fill('alice');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Wrong user name or password/);
      await context.close();

      const signed = await signIn(env.current.browser, env.current.rw, '/s/pve');
      expect(new URL(signed.url()).pathname).toBe('/s/pve');
      await expect(signed.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
      await expect(signed.locator('header.top .who').textContent()).resolves.toMatch(/alice/);
      await signed.context().close();
    });

    it('shows the lab\'s seeded trouble on the overview, and its trends drawn', async () => {
      const page = await signIn(env.current.browser, env.current.rw);
      const cards = page.locator('#services article.card');
      await cards.first().waitFor();
      await expect(page.locator('article[data-service="beszel"]').textContent()).resolves.toMatch(/\d+ of 12 systems down \([^)]*\bmedia\b[^)]*\).*disk full: pbs/s);
      await expect(page.locator('article[data-service="kuma"]').textContent()).resolves.toMatch(/1 of 13 monitors down \(media\)/);
      await expect(page.locator('article[data-service="proxy"]').textContent()).resolves.toMatch(/certificate of [\w.-]+\.home\.lan (expires in \d+ d|expired)/);
      await expect(page.locator('article[data-service="pbs"]').textContent()).resolves.toMatch(/93% full/);
      await expect(page.locator('#check').textContent()).resolves.toMatch(/VM 201 \(media\), which is stopped/);
      await expect(page.locator('#updates').textContent()).resolves.toMatch(/pending/);
      const certs = await drawnChart(page, 'Certificate expiry');
      // One point per certificate of the chart's own data (the lab seeds about ten).
      const items = (JSON.parse((await page.locator('#chart-certificate-expiry-data').textContent()) ?? '{}') as { items: unknown[] }).items.length;
      expect(items).toBeGreaterThanOrEqual(9);
      expect(certs.points.reduce((a, b) => a + b, 0)).toBe(items);
      expect(certs.painted).toBeGreaterThan(200);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: false });
        await page.locator('#trends').screenshot({ path: join(SHOTS, 'overview-trends.png') });
      }
      await page.context().close();
    });

    it('draws a history chart with its data points, beside the table that says the same', async () => {
      const page = await signIn(env.current.browser, env.current.rw, '/s/pbs');
      const usage = await drawnChart(page, 'Datastore main: usage and forecast');
      expect(usage.series).toBe(2);
      expect(usage.points).toEqual([31, 2]);
      expect(usage.painted).toBeGreaterThan(500);
      const table = page.locator('figure.chart-figure details.chart-data').first();
      await table.locator('summary').click();
      await expect(table.locator('tbody tr').count()).resolves.toBe(32);

      await page.goto(`${env.current.rw.url}/op/beszel.system?name=pve1`);
      const history = await drawnChart(page, 'pve1: CPU and memory, the last hour');
      expect(history.points).toEqual([60, 60]);
      expect(history.painted).toBeGreaterThan(500);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'beszel-system.png'), fullPage: false });
      await page.goto(`${env.current.rw.url}/s/pve`);
      const nodes = await drawnChart(page, 'pve1: CPU and memory, the last hour');
      expect(nodes.points).toEqual([70, 70]);
      await page.context().close();
    });

    it('starts the stopped guest through the confirmation page, and the simulator\'s guest runs', async () => {
      const sim = env.current.lab.sims.get('pve') as PveSim;
      expect(sim.state.guests.get(201)?.status).toBe('stopped');
      const page = await signIn(env.current.browser, env.current.rw, '/op/pve.status?vmid=201');
      await page.getByRole('group', { name: 'Actions on vmid 201' }).getByRole('button', { name: 'start', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/op/pve.start');
      await expect(page.locator('.confirm .what').textContent()).resolves.toMatch(/201/);
      expect(sim.state.guests.get(201)?.status).toBe('stopped');
      await page.getByRole('button', { name: 'Confirm and run' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/'));
      await page.locator('#run-state', { hasText: 'Finished' }).waitFor({ timeout: 20_000 });
      await expect(page.locator('#result').textContent()).resolves.toMatch(/OK/);
      expect(sim.state.guests.get(201)?.status).toBe('running');
      await page.context().close();
    });

    it('changes only what the pve set form names: the switches left at "unchanged" keep their values', async () => {
      const sim = env.current.lab.sims.get('pve') as PveSim;
      const guest = sim.state.guests.get(104);
      if (!guest) throw new Error('the lab has no guest 104');
      guest.config.onboot = 1;
      guest.config.protection = 1;
      const page = await signIn(env.current.browser, env.current.rw, '/op/pve.set?vmid=104');
      // The choices are found by their labels, and start at "unchanged".
      for (const label of ['Onboot', 'Protection']) {
        const choice = page.getByLabel(label, { exact: true });
        await expect(choice.evaluate((el) => (el as unknown as { tagName: string }).tagName)).resolves.toBe('SELECT');
        await expect(choice.locator('option:checked').textContent()).resolves.toBe('unchanged');
      }
      await page.getByLabel('Description', { exact: true }).fill('set from the browser');
      await page.getByRole('button', { name: 'Review…' }).click();
      await page.waitForURL((url) => url.pathname === '/op/pve.set');
      await expect(page.locator('.confirm dl.fields dt').allTextContents()).resolves.toEqual(['vmid', 'description']);
      await page.getByRole('button', { name: 'Confirm and run' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/'));
      await page.locator('#run-state', { hasText: 'Finished' }).waitFor({ timeout: 20_000 });
      expect(guest.config).toMatchObject({ onboot: 1, protection: 1, description: 'set from the browser' });
      // "no" turns one off, and the confirmation page lists it.
      await page.goto(`${env.current.rw.url}/op/pve.set?vmid=104`);
      await page.getByLabel('Protection', { exact: true }).selectOption({ label: 'no' });
      await page.getByRole('button', { name: 'Review…' }).click();
      await page.waitForURL((url) => url.pathname === '/op/pve.set');
      await expect(page.locator('.confirm dl.fields').innerText()).resolves.toMatch(/protection\s+no/);
      await page.getByRole('button', { name: 'Confirm and run' }).click();
      await page.locator('#run-state', { hasText: 'Finished' }).waitFor({ timeout: 20_000 });
      expect(guest.config).toMatchObject({ onboot: 1, protection: 0 });
      await page.context().close();
    });

    it('shows the same action disabled, with the reason, on a read-only server', async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/op/pve.status?vmid=202');
      const start = page.getByRole('group', { name: 'Actions on vmid 202' }).getByRole('button', { name: 'start', exact: true });
      await expect(start.isDisabled()).resolves.toBe(true);
      await expect(page.locator(`#${await start.getAttribute('aria-describedby')}`).textContent()).resolves.toMatch(/--allow change/);
      await page.goto(`${env.current.ro.url}/s/pve`);
      const link = page.locator('li.disabled a', { hasText: 'pve start' });
      await expect(page.locator(`#${await link.getAttribute('aria-describedby')}`).textContent()).resolves.toMatch(/Disabled: .*--allow change/);
      await page.context().close();
    });

    it('refuses a POST without the CSRF token, from the signed-in page itself', async () => {
      const sim = env.current.lab.sims.get('pve') as PveSim;
      const before = sim.state.guests.get(202)?.status;
      const page = await signIn(env.current.browser, env.current.rw, '/s/pve');
      const answer = await page.evaluate(async () => {
        const res = await fetch('/op/pve.start', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'vmid=202' });
        return { status: res.status, text: await res.text() };
      });
      expect(answer.status).toBe(403);
      expect(answer.text).toMatch(/CSRF|token/i);
      expect(sim.state.guests.get(202)?.status).toBe(before);
      await page.context().close();
    });
  });

  describe('the live overview in Chromium', () => {
    const passwords = async (): Promise<Map<string, string>> => new Map([[USER.name, await hashPassword(USER.password)]]);
    const options = async (port: number): Promise<WebServerOptions> => ({
      registry: getRegistry(), allow: 'read', env: { ...process.env, ...env.current.lab.env }, passwords: await passwords(),
      localUser: 'local', loopback: true, host: '127.0.0.1', port, refreshMs: 600_000, alertPollMs: 200, timeoutMs: 30_000, log: () => undefined,
    });

    it('says live updates stopped, with a link, when a restarted dashboard no longer knows the session', async () => {
      const first = await startWebServer(await options(0));
      let second: WebServer | undefined;
      try {
        const page = await signIn(env.current.browser, first, '/');
        await page.locator('#services article.card').first().waitFor();
        await expect(page.locator('#live-stopped').count()).resolves.toBe(0);
        // A restart: sessions are kept in memory, so the page's stream reconnects to a server that answers 401.
        await first.close();
        second = await startWebServer(await options(first.port));
        const note = page.locator('#live-stopped');
        await note.waitFor({ state: 'visible', timeout: 20_000 });
        await expect(note.textContent()).resolves.toMatch(/Live updates stopped/);
        await expect(note.getAttribute('role')).resolves.toBe('alert');
        const link = note.getByRole('link', { name: 'Sign in again' });
        await expect(link.getAttribute('href')).resolves.toBe('/');
        await link.click();
        await page.waitForURL((url) => url.pathname === '/login');
        await page.context().close();
      } finally {
        await second?.close();
        await first.close();
      }
    });

    it('moves the Refreshed at time on when the overview is drawn again unchanged, without replacing it', async () => {
      // Frozen, so that the nodes' CPU does not wobble: each refresh shows the same overview.
      const pve = env.current.lab.sims.get('pve') as PveSim;
      pve.options.frozenAtMs = Date.now();
      const server = await startWebServer({ ...(await options(0)), refreshMs: 1000 });
      try {
        const page = await signIn(env.current.browser, server, '/');
        const refreshed = page.locator('#overview time[data-time="refreshed"]');
        await refreshed.waitFor();
        const first = await refreshed.getAttribute('datetime');
        // A mark on the overview's first section: an overview event would replace it.
        await page.locator('#overview section').first().evaluate((el) => el.setAttribute('data-marked', '1'));
        await page.waitForFunction((before) => {
          const el = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('#overview time[data-time="refreshed"]');
          return el !== null && el.getAttribute('datetime') !== before;
        }, first, { timeout: 20_000 });
        const now = await refreshed.getAttribute('datetime');
        await expect(refreshed.textContent()).resolves.toBe(`${(now as string).slice(11, 19)} UTC`);
        await expect(page.locator('#overview section[data-marked="1"]').count()).resolves.toBe(1);
        await page.context().close();
      } finally {
        delete pve.options.frozenAtMs;
        await server.close();
      }
    });

    it('keeps open details and the focused link across an update of the overview', async () => {
      const server = await startWebServer(await options(0));
      const store = await WatchStore.open(env.current.lab.env.HOMELAB_DATA_HOME);
      const policy = { holdMs: 0, repeatMs: 0, flapWindowMs: 3_600_000, flapThreshold: 10 };
      try {
        const page = await signIn(env.current.browser, server, '/');
        const data = page.locator('#overview details.chart-data').first();
        await data.waitFor();
        await data.locator('summary').click();
        await expect(data.evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(true);
        const link = page.locator('#services article[data-service="pve"] h3 a');
        await link.focus();
        applyFindings(store, 'disk', [{ key: 'disk:pve-browser', message: 'disk of pve-browser is 97% full', severity: 'critical' }], Date.now(), policy);
        await page.locator('#alerts', { hasText: 'disk of pve-browser is 97% full' }).waitFor({ timeout: 20_000 });
        await expect(page.locator('#overview details.chart-data').first().evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(true);
        await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('href'))).resolves.toBe('/s/pve');
        await page.context().close();
      } finally {
        applyFindings(store, 'disk', [], Date.now(), policy);
        store.close();
        await server.close();
      }
    });

    it('serves its icon: no page asks for a missing one', async () => {
      const page = await signIn(env.current.browser, env.current.ro, '/');
      const missing: string[] = [];
      page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
      await page.reload();
      await page.locator('#services article.card').first().waitFor();
      await expect(page.evaluate(() => fetch('/favicon.ico').then((r) => r.status))).resolves.toBe(200);
      expect(missing).toEqual([]);
      await page.context().close();
    });
  });

  describe('web dashboard over two labs in Chromium', () => {
    let labs: TwoLabs;
    let server: WebServer;
    beforeAll(async () => {
      labs = await startTwoLabs(['pve']);
      server = await startWebServer({
        registry: getRegistry(), allow: 'read', env: { ...process.env, ...labs.env }, passwords: new Map([[USER.name, await hashPassword(USER.password)]]),
        localUser: 'local', loopback: true, host: '127.0.0.1', port: 0, refreshMs: 600_000, alertPollMs: 600_000, timeoutMs: 30_000, log: () => undefined,
      });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await labs?.close();
    });

    it("switches the lab with the header's selector, and the pve page lists that lab's guests", async () => {
      const guests = (sim: PveSim): number[] => [...sim.state.guests.keys()];
      const home = guests(labs.home.sims.get('pve') as PveSim);
      const officeOnly = guests(labs.office.sims.get('pve') as PveSim).find((vmid) => !home.includes(vmid)) as number;
      const page = await signIn(env.current.browser, server, '/s/pve');
      const choice = page.getByLabel('Lab', { exact: true });
      await expect(choice.inputValue()).resolves.toBe('default');
      const list = page.locator('#view-pve-list');
      await list.locator(`a[href="/op/pve.status?vmid=${home[0] ?? 0}"]`).waitFor();
      await expect(list.locator(`a[href="/op/pve.status?vmid=${officeOnly}"]`).count()).resolves.toBe(0);
      await choice.selectOption('office');
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/s/pve' && r.request().method() === 'GET'),
        page.getByRole('button', { name: 'Switch' }).click(),
      ]);
      await expect(page.getByLabel('Lab', { exact: true }).inputValue()).resolves.toBe('office');
      await page.locator('#view-pve-list').locator(`a[href="/op/pve.status?vmid=${officeOnly}"]`).waitFor();
      await expect(page.title()).resolves.toBe('pve · office · homelab');
      await page.context().close();
    });
  });
}
