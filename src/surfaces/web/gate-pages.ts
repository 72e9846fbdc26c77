/**
 * @module surfaces/web/gate-pages
 * The pages the request checks (security) answer with instead of running a route: a form
 * sent after its session ended (nothing was done; a link signs in and comes back to the
 * page), and a link followed from another site (nothing runs until the visitor goes on
 * from this page, which is then a request of the dashboard's own).
 */
import { h, type Html } from './html.js';
import { page } from './layout.js';
import type { WebState } from './state.js';

/** The page for a form sent without a live session: nothing was done; `back`, a local path, is where signing in returns to. */
export function sessionEndedPage(state: WebState, back: string): Html {
  const next = back === '/' ? '/login' : `/login?${new URLSearchParams({ next: back }).toString()}`;
  const body = h`<section class="panel" aria-labelledby="ended-title">
<header><h2 id="ended-title">Sign in first</h2></header>
<p class="error" role="alert">Your session has ended, so nothing was done.</p>
<p><a href="${next}">Sign in</a> and send the form again.</p>
</section>`;
  return page({ title: 'Sign in first', path: '/login', services: [], allow: state.options.allow }, body);
}

/** The page for a link followed from another site to `target` (a local path): nothing has run; a link goes on. */
export function otherSitePage(state: WebState, target: string): Html {
  const body = h`<section class="panel" aria-labelledby="other-site-title">
<header><h2 id="other-site-title">homelab dashboard</h2></header>
<p role="status">You came here from another site, so nothing has been run or read yet.</p>
<p><a href="${target}">Open the dashboard</a></p>
</section>`;
  return page({ title: 'Open the dashboard', path: target, services: [], allow: state.options.allow }, body);
}
