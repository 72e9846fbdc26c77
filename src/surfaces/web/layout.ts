/**
 * @module surfaces/web/layout
 * The page around every view: a skip link, the navigation (overview, one entry per
 * service, the audit log), who is signed in with a sign-out button, the server's mode
 * (read-only, or what `--allow` permits), the lab shown with a selector to switch
 * (only when the config defines several labs), and one polite live region that the
 * script uses to announce updates. Pages are plain HTML that work with the keyboard
 * alone: the selector is a small form with a Switch button.
 */
import type { AllowLevel } from '../shared/allow-level.js';
import type { WebService } from './exposure.js';
import { h, join, type Html } from './html.js';
import { pictureScripts, pictureStyles } from './chart-slot.js';

/** What the layout shows besides the page. */
export interface LayoutView {
  title: string;
  /** The path of the page, to mark the current navigation entry. */
  path: string;
  services: readonly WebService[];
  allow: AllowLevel;
  /** Signed-in user and CSRF token; absent on the login page. */
  user?: { name: string; csrf: string; canSignOut: boolean };
  /** The lab shown, the labs to choose from, and the page to come back to after switching; absent with one lab. */
  lab?: { shown: string; names: readonly string[]; back: string };
}

const MODE: Record<AllowLevel, string> = { read: 'read-only', change: 'allows changes', danger: 'allows changes and destructive operations' };
/** The badge's tooltip: how the server was started (read-only is the default: there is no `--allow read`). */
const STARTED: Record<AllowLevel, string> = { read: 'started without --allow: read-only', change: 'started with --allow change', danger: 'started with --allow danger' };

function navItem(href: string, label: string, path: string): Html {
  const current = path === href || (href !== '/' && path.startsWith(`${href}/`));
  return h`<li><a href="${href}"${current ? h` aria-current="page"` : ''}>${label}</a></li>`;
}

function labChoice(lab: NonNullable<LayoutView['lab']>, csrf: string): Html {
  const options = lab.names.map((name) => h`<option${name === lab.shown ? h` selected` : ''}>${name}</option>`);
  return h`<form class="inline lab-choice" method="post" action="/context" data-lab="${lab.shown}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="next" value="${lab.back}"><label for="lab-choice">Lab</label> <select id="lab-choice" name="context">${join(options)}</select> <button class="secondary" type="submit">Switch</button></form>`;
}

/** A whole page. */
export function page(view: LayoutView, body: Html): Html {
  const nav = view.user
    ? h`<nav aria-label="Main"><ul>${navItem('/', 'Overview', view.path)}${join(view.services.map((s) => navItem(`/s/${s.name}`, s.name, view.path)))}${navItem('/audit', 'Audit log', view.path)}</ul></nav>
${view.lab ? labChoice(view.lab, view.user.csrf) : ''}<div class="who"><span class="badge ${view.allow}" title="${STARTED[view.allow]}">${MODE[view.allow]}</span><span>${view.user.name}</span>${view.user.canSignOut ? h`<form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${view.user.csrf}"><button class="secondary" type="submit">Sign out</button></form>` : ''}</div>`
    : '';
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title}${view.lab ? ` · ${view.lab.shown}` : ''} · homelab</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
${join(pictureStyles.map((href) => h`<link rel="stylesheet" href="${href}">`))}
<script src="/assets/app.js" defer></script>
${join(pictureScripts.map((src) => h`<script src="${src}" defer></script>`))}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/">homelab</a>${nav}</header>
<main id="main" tabindex="-1">
<h1>${view.title}</h1>
<p id="live-note" class="sr" role="status" aria-live="polite"></p>
${body}
</main>
</body>
</html>`;
}
