/**
 * A plan that changes nothing (a re-run of expose, of unexpose with nothing left) is not
 * asked on the dashboard, as on the CLI: the form's POST starts the run at once and leads to
 * its run page (its plan, each step unchanged), audited as web:<user>. Everything before the
 * question stays as strict: the Origin and CSRF checks, and the allow-list (a no-op
 * `unexpose` on a dashboard without `--allow danger` is refused). The plan read is the run's
 * ceiling: when the lab changes between that read and the run, the run is refused and
 * changes nothing. Over HTTP against the lab's PVE, DNS, NPM and Kuma simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { ProxySim, Row } from '../../../src/services/proxy/sim/index.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard, type Page } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma'] });
let change: WebServer;
let danger: WebServer;
let removeHook: () => void;

beforeAll(async () => {
  removeHook = installAuditHook();
  change = await startDashboard(lab.current, 'change');
  danger = await startDashboard(lab.current, 'danger');
});
afterAll(async () => {
  await change?.close();
  await danger?.close();
  removeHook?.();
});

/** Requests that change something on the DNS and NPM simulators. */
const changes = (): number => ['dns', 'proxy'].map((s) => (lab.current.sims.get(s) as DnsSim | ProxySim).requests.filter((r) => r.method !== 'GET' && !/\/(tokens|records\/get|zones\/list)/.test(r.path)).length).reduce((a, b) => a + b, 0);

const auditRows = (operation: string): number => {
  const store = AuditStore.openForReading(lab.current.env.HOMELAB_DATA_HOME) as AuditStore;
  try {
    return store.list({ surface: 'web', operation }).length;
  } finally {
    store.close();
  }
};

/** The run a 303 answer leads to, followed to its end: the `done` event's HTML. */
async function runOutcome(client: WebClient, answer: Page): Promise<string> {
  expect(answer.status, answer.text).toBe(303);
  const runPath = answer.headers.get('location') as string;
  expect(runPath).toMatch(/^\/runs\/[\w-]+$/);
  const events = await readEvents(client, `${runPath}/events`, (e) => e.event === 'done');
  return events.at(-1)?.data ?? '';
}

/** Posts a form and confirms its confirmation page; the run's outcome. */
async function confirmed(client: WebClient, path: string, form: Record<string, string>): Promise<string> {
  const confirm = await client.post(path, { _csrf: csrfOf((await client.get(path)).text), _form: '1', ...form });
  expect(confirm.status, confirm.text).toBe(200);
  expect(confirm.text).toContain('Confirm and run');
  const action = /action="(\/confirm\/[^"/]+)"/.exec(confirm.text)?.[1] as string;
  return runOutcome(client, await client.post(action, { _csrf: csrfOf(confirm.text) }));
}

const EXPOSE = { name: 'pad', target: 'forgejo:3000', monitor: 'true' };

describe('a plan that changes nothing, on the dashboard', () => {
  it('a re-run of expose runs at once without a confirmation page: each step unchanged, audited', async () => {
    const client = new WebClient(change.url);
    expect(await confirmed(client, '/op/expose', EXPOSE)).toContain('3 done, 0 unchanged');
    const before = changes();
    const rows = auditRows('expose');
    const csrf = csrfOf((await client.get('/op/expose')).text);
    const answer = await client.post('/op/expose', { _csrf: csrf, _form: '1', ...EXPOSE });
    expect(answer.text).not.toContain('Confirm and run');
    const outcome = await runOutcome(client, answer);
    expect(outcome).toContain('0 done, 3 unchanged');
    expect(outcome).not.toMatch(/>done</);
    // The run page shows the plan it ran.
    const page = await client.get(answer.headers.get('location') as string);
    expect(page.text).toMatch(/<p class="what"><strong>Expose pad\.home\.lan → [^<]*\(3 unchanged\)<\/strong><\/p><ul class="plan"><li>[^<]*unchanged\s+DNS CNAME pad\.home\.lan/);
    expect(changes()).toBe(before);
    expect(auditRows('expose')).toBe(rows + 1);
  });

  it('keeps the Origin and CSRF checks: a no-op run from elsewhere is refused and nothing runs', async () => {
    const client = new WebClient(change.url);
    const csrf = csrfOf((await client.get('/op/expose')).text);
    const rows = auditRows('expose');
    expect((await client.post('/op/expose', { _csrf: csrf, _form: '1', ...EXPOSE }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await client.post('/op/expose', { _csrf: csrf, _form: '1', ...EXPOSE }, { origin: null })).status).toBe(403);
    expect((await client.post('/op/expose', { _csrf: 'forged', _form: '1', ...EXPOSE })).status).toBe(403);
    expect(auditRows('expose')).toBe(rows);
  });

  it('refuses a run whose plan changed since it was read (nothing to change then, something now), and changes nothing', async () => {
    const proxy = lab.current.sims.get('proxy') as ProxySim;
    const hostOf = (domain: string) => proxy.db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain));
    let meanwhile = (): void => undefined;
    // The dashboard logs the start right after it started the run with the input it previewed, before
    // the run reads anything: the moment someone else's edit lands between the two reads.
    const racing = await startDashboard(lab.current, 'change', { log: (line) => { if (line.includes('started expose (nothing to change: not asked)')) meanwhile(); } });
    try {
      const client = new WebClient(racing.url);
      const form = { name: 'race', target: 'forgejo:3000', monitor: 'true' };
      expect(await confirmed(client, '/op/expose', form)).toContain('3 done, 0 unchanged');
      const host = hostOf('race.home.lan');
      expect(host?.forward_port).toBe(3000);
      meanwhile = () => {
        proxy.db.proxyHosts.update(host as Row, { forward_port: 3001 });
      };
      const before = changes();
      const answer = await client.post('/op/expose', { _csrf: csrfOf((await client.get('/op/expose')).text), _form: '1', ...form });
      expect(answer.text).not.toContain('Confirm and run');
      const outcome = await runOutcome(client, answer);
      expect(outcome).toContain('the lab changed since the plan was shown');
      expect(outcome).toContain('nothing was changed');
      // The edit made meanwhile stands: the run did not put the port back unasked.
      expect(hostOf('race.home.lan')?.forward_port).toBe(3001);
      expect(changes()).toBe(before);
    } finally {
      await racing.close();
    }
  });

  it('keeps the allow-list: a no-op unexpose is refused without --allow danger; with it, only a plan that changes something asks', async () => {
    const readOnly = new WebClient(change.url);
    const refused = await readOnly.post('/op/unexpose', { _csrf: csrfOf((await readOnly.get('/op/expose')).text), _form: '1', name: 'nothing-here' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Refused:');
    expect(auditRows('unexpose')).toBe(0);

    const client = new WebClient(danger.url);
    expect(await confirmed(client, '/op/unexpose', { name: 'pad' })).toMatch(/done/);
    const before = changes();
    const again = await client.post('/op/unexpose', { _csrf: csrfOf((await client.get('/op/unexpose')).text), _form: '1', name: 'pad' });
    expect(again.text).not.toContain('Confirm and run');
    expect(await runOutcome(client, again)).toContain('nothing to remove');
    expect(changes()).toBe(before);
    expect(auditRows('unexpose')).toBe(2);
  });
});
