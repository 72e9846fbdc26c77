/**
 * The dashboard's pages as assistive technology reads them (HTTP, no browser; the
 * colours and the keyboard are in browser-a11y.test.ts): a detail page's withheld
 * actions under a visible reason, focusable and in no form; a service page whose
 * sections are busy while loading but not live regions each; headings that never skip
 * a level; a disabled operation on a service page not faded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSS } from '../../../src/surfaces/web/assets.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, startDashboard } from './helpers.js';

const lab = useLab();
let readOnly: WebServer;
let change: WebServer;

beforeAll(async () => {
  [readOnly, change] = await Promise.all([startDashboard(lab.current, 'read'), startDashboard(lab.current, 'change')]);
});
afterAll(async () => {
  await Promise.all([readOnly?.close(), change?.close()]);
});

/** The part of a page between `start` and the next `</section>`. */
function sectionFrom(html: string, start: string): string {
  const at = html.indexOf(start);
  expect(at, `the page has ${start}`).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf('</section>', at));
}

/** The levels of a page's headings, in order. */
const headingLevels = (html: string): number[] => [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));

describe("a detail page's actions", () => {
  it('on a read-only server: one visible reason per kind of action, buttons focusable, described by it, in no form', async () => {
    const page = await new WebClient(readOnly.url).get('/op/pve.status?vmid=201');
    const related = sectionFrom(page.text, 'aria-labelledby="related-title"');
    // The reasons are text on the page, not a tooltip or visually hidden.
    expect(related).toContain('<p class="disabled-reason" id="actions-why-change"><strong>Disabled:</strong> changes state: this dashboard is read-only; restart it with --allow change to enable</p>');
    expect(related).toContain('<p class="disabled-reason" id="actions-why-danger"><strong>Disabled:</strong> destructive: this dashboard is read-only; restart it with --allow danger to enable</p>');
    expect(related).not.toContain('class="sr"');
    expect(related).not.toContain(' title=');
    // Kept in the Tab order (no `disabled`), announced as disabled with the reason, and pressing one submits nothing.
    expect(related).not.toMatch(/<button[^>]* disabled/);
    expect(related).not.toContain('<form');
    expect(related).toContain('<button type="button" class="" aria-disabled="true" aria-describedby="actions-why-change">start</button>');
    expect(related).toContain('<button type="button" class="danger" aria-disabled="true" aria-describedby="actions-why-danger">destroy</button>');
    const buttons = [...related.matchAll(/<button [^>]*>/g)].map((m) => m[0]);
    expect(buttons.length).toBeGreaterThan(5);
    for (const b of buttons) expect(b).toMatch(/aria-disabled="true" aria-describedby="actions-why-(change|danger)"/);
  });

  it('on a server that allows changes: the changes are forms, only the destructive ones withheld, under their reason', async () => {
    const page = await new WebClient(change.url).get('/op/pve.status?vmid=201');
    const related = sectionFrom(page.text, 'aria-labelledby="related-title"');
    expect(related).toMatch(/<form class="inline" method="post" action="\/op\/pve\.start">[^]*?<button type="submit" class="">start<\/button><\/form>/);
    expect(related).not.toContain('actions-why-change');
    expect(related).toContain('<strong>Disabled:</strong> destructive: this dashboard is started with --allow change; restart it with --allow danger to enable</p>');
    expect(related).toContain('<button type="button" class="danger" aria-disabled="true" aria-describedby="actions-why-danger">destroy</button>');
  });
});

describe('service pages', () => {
  it.each(['pve', 'dns', 'proxy', 'pbs'])('%s: sections are busy while loading, and the only live region is the page status line', async (service) => {
    const page = await new WebClient(readOnly.url).get(`/s/${service}`);
    const sections = [...page.text.matchAll(/<div id="[^"]+" data-src="[^"]+"([^>]*)>/g)].map((m) => m[1]);
    expect(sections.length).toBeGreaterThan(0);
    for (const attrs of sections) expect(attrs).toBe(' aria-busy="true"');
    expect([...page.text.matchAll(/aria-live=/g)]).toHaveLength(1);
    expect(page.text).toContain('<p id="live-note" class="sr" role="status" aria-live="polite"></p>');
  });

  it('shows a disabled operation with its reason at full strength (no opacity), marked another way', () => {
    expect(APP_CSS).not.toMatch(/opacity/);
    expect(APP_CSS).toContain('.ops li.disabled { border-style: dashed; }');
  });
});

describe('headings', () => {
  it('never skip a level: dns stats goes h1, h2 Result, h3 for a titled list of fields', async () => {
    const page = await new WebClient(readOnly.url).get('/op/dns.stats');
    expect(page.text).toMatch(/<h3>last hour<\/h3><dl class="fields">/);
    const levels = headingLevels(page.text);
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => expect(level, `heading ${i + 1} of ${levels.join(',')}`).toBeLessThanOrEqual((levels[i - 1] ?? 0) + 1));
  });

  it('a section loaded into a service page starts at h3, under its h2', async () => {
    const client = new WebClient(readOnly.url);
    const fragment = await client.get('/fragment/op/dns.stats');
    expect(fragment.status).toBe(200);
    expect(Math.min(...headingLevels(fragment.text))).toBe(3);
  });
});
