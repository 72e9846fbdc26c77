/**
 * The dashboard's audit page shows a row's place in a plan as `homelab audit` does: the
 * run that applied a plan with the plan's id (`expose (plan …)`), each step with its key,
 * an undo's ending in `:undo` (a rolled-back expose's deletes are not plain deletes), and
 * a duration as the operations print it (`1.8 s`). The rows are written with the real
 * audit store into the lab's data folder and read over HTTP from the real dashboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, startDashboard } from './helpers.js';

const lab = useLab({ services: ['dns'] });
let server: WebServer;
const PLAN = '20261206-013111-8fe245';

beforeAll(async () => {
  const store = AuditStore.open(lab.current.env.HOMELAB_DATA_HOME as string);
  const actor = { surface: 'cli', id: 'root' } as const;
  const row = (operation: string, risk: 'change' | 'danger', step: string | undefined, ok: boolean, durationMs: number): void => {
    const id = store.begin({ startedAt: Date.now(), actor, operation, risk, input: { name: 'xrb' }, plan: step ? { id: PLAN, step } : undefined });
    if (!step) store.setPlan(id, PLAN);
    store.finish(id, { ok, durationMs, ...(ok ? {} : { error: 'step failed' }) });
  };
  row('expose', 'change', undefined, false, 1843);
  row('proxy.add', 'change', 'proxy', true, 4);
  row('proxy.delete', 'danger', 'proxy:undo', true, 4);
  store.close();
  server = await startDashboard(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
});

describe('the audit page', () => {
  it('names the plan a run applied, each step and each undo, and durations as the CLI does', async () => {
    const page = await new WebClient(server.url).get('/audit');
    expect(page.status, page.text).toBe(200);
    const cells = [...page.text.matchAll(/<tr data-audit-id="\d+"[^>]*>(.*?)<\/tr>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, '|'));
    expect(cells).toHaveLength(3);
    expect(cells[0]).toContain('|proxy.delete (plan step proxy:undo)|');
    expect(cells[1]).toContain('|proxy.add (plan step proxy)|');
    expect(cells[2]).toContain(`|expose (plan ${PLAN})|`);
    expect(cells[2]).toContain('|1.8 s|');
  });
});
