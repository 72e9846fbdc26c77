/**
 * @module test/surfaces/web/browser-env
 * What the browser tests share: Debian's Chromium (skipped, with the package to install,
 * when it is missing), the lab, and two dashboards over it that require a login — one
 * that allows changes, one read-only.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { getRegistry } from '../../../src/services/index.js';
import { hashPassword } from '../../../src/surfaces/web/passwords.js';
import { startWebServer, type WebServer } from '../../../src/surfaces/web/server.js';

/** Debian's Chromium (`HOMELAB_CHROMIUM` overrides the path). */
export const CHROMIUM = process.env.HOMELAB_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run here. */
export const haveChromium = existsSync(CHROMIUM);

/** The one line a machine without Chromium shows instead of the browser tests. */
export const SKIP_LINE = `browser tests skipped: no Chromium at ${CHROMIUM}; install the Debian package chromium (apt-get install chromium)`;

/** The dashboards' user and password. */
export const USER = { name: 'alice', password: 'correct horse battery staple' };

/** What the browser tests get. */
export interface BrowserEnv {
  lab: RunningLab;
  /** `--allow change`, login required. */
  rw: WebServer;
  /** Read-only, login required. */
  ro: WebServer;
  browser: Browser;
}

/** Starts the lab, both dashboards and Chromium before the file's tests; stops them after. */
export function useBrowserEnv(): { current: BrowserEnv } {
  const holder = {} as { current: BrowserEnv };
  beforeAll(async () => {
    const lab = await startLab({ taskDurationMs: 300 });
    const passwords = new Map([[USER.name, await hashPassword(USER.password)]]);
    const common = {
      registry: getRegistry(), env: { ...process.env, ...lab.env }, passwords, localUser: 'local', loopback: true,
      host: '127.0.0.1', port: 0, refreshMs: 600_000, alertPollMs: 600_000, timeoutMs: 30_000, log: () => undefined,
    };
    const [rw, ro, browser] = await Promise.all([
      startWebServer({ ...common, allow: 'change' }),
      startWebServer({ ...common, allow: 'read' }),
      // Root (CI containers) cannot use Chromium's sandbox.
      chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] }),
    ]);
    holder.current = { lab, rw, ro, browser };
  }, 90_000);
  afterAll(async () => {
    const env = holder.current;
    if (!env) return;
    await env.browser?.close();
    await Promise.all([env.rw?.close(), env.ro?.close()]);
    await env.lab?.close();
  });
  return holder;
}

/** Signs in on `server` in a new page; returns the page, on the page signing in led to. */
export async function signIn(browser: Browser, server: WebServer, path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('User name').fill(USER.name);
  await page.getByLabel('Password').fill(USER.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.getByRole('button', { name: /sign in/i }).click()]);
  return page;
}
