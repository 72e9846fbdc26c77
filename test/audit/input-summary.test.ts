/**
 * An audit row's input in one line, the same on `homelab audit` and the dashboard's audit
 * page (audit/input-summary): a switch turned off is shown (`onboot=false`), never left
 * out as if it had not been given, unless off is its schema default (`dns add`'s `ptr`,
 * recorded with the row); one turned on is its key; cut with `…`. Rows written before the
 * defaults were recorded, and databases made before, still read, every switch shown.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summariseInput } from '../../src/audit/input-summary.js';
import { AuditStore, auditFile } from '../../src/audit/store.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });

describe('the input of an audit row', () => {
  it('shows a switch turned off as key=false, one turned on as its key', () => {
    expect(summariseInput({ vmid: 104, onboot: false, protection: false }, 60)).toBe('vmid=104 onboot=false protection=false');
    expect(summariseInput({ vmid: 201, wait: true, note: undefined, target: { host: 'a', port: 1 } }, 60)).toBe('vmid=201 wait target={"host":"a","port":1}');
    expect(summariseInput({ text: 'x'.repeat(100) }, 20)).toBe(`text=${'x'.repeat(14)}…`);
  });

  it('cuts between graphemes: an emoji at the cut is dropped whole, never half of one (a lone surrogate, shown as �)', () => {
    const text = `${'x'.repeat(53)}😀tail`;
    const line = summariseInput({ text }, 60);
    expect(line).toBe(`text=${'x'.repeat(53)}…`);
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(summariseInput({ text }, 61)).toBe(`text=${'x'.repeat(53)}😀…`);
  });

  it('leaves out a switch off by its default, and shows it once it is on', () => {
    expect(summariseInput({ name: 'a', ip: '10.5.0.9', ptr: false, replace: false }, 60, ['ptr', 'replace'])).toBe('name=a ip=10.5.0.9');
    expect(summariseInput({ name: 'a', ip: '10.5.0.9', ptr: true, replace: false }, 60, ['replace'])).toBe('name=a ip=10.5.0.9 ptr');
    // Listed, but not off (a row edited by hand): shown.
    expect(summariseInput({ name: 'a', ptr: true }, 60, ['ptr'])).toBe('name=a ptr');
  });

  it('homelab audit leaves out switches the run left at their default off, and keeps one turned on', async () => {
    const env = { ...lab.current.env };
    const add = await runCli(['dns', 'add', 'rvtest', '10.5.0.99', '--yes'], env);
    expect(add.code, add.stderr).toBe(0);
    const withPtr = await runCli(['dns', 'add', 'rvtest2', '10.5.0.98', '--ptr', '--yes'], env);
    expect(withPtr.code, withPtr.stderr).toBe(0);
    const audit = await runCli(['audit', '--operation', 'dns.add', '--limit', '2'], env);
    expect(audit.code, audit.stderr).toBe(0);
    const lines = audit.stdout.split('\n').filter((l) => l.includes('dns.add'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/dns\.add\s+name=rvtest ip=10\.5\.0\.99\s+ok/);
    expect(lines[1]).toMatch(/dns\.add\s+name=rvtest2 ip=10\.5\.0\.98 ptr\s+ok/);
    expect(audit.stdout).not.toContain('=false');
    // The whole input is still in --json, with what was off by default.
    const json = await runCli(['audit', '--operation', 'dns.add', '--limit', '1', '--json'], env);
    const [row] = JSON.parse(json.stdout) as { input: Record<string, unknown>; defaultOff: string[] }[];
    expect(row?.input).toMatchObject({ name: 'rvtest2', ptr: true, replace: false });
    expect(row?.defaultOff).toEqual(['replace']);
  });

  it('reads rows written before the defaults were recorded, showing every switch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-audit-old-'));
    try {
      const data = join(dir, 'data');
      mkdirSync(data, { recursive: true });
      const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };
      const old = new Database(auditFile(data));
      old.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, surface TEXT NOT NULL, actor TEXT NOT NULL,
        operation TEXT NOT NULL, risk TEXT NOT NULL, input TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT 'running', error TEXT, duration_ms INTEGER, plan TEXT, plan_step TEXT, context TEXT);
        INSERT INTO audit (started_at, surface, actor, operation, risk, input, outcome) VALUES (${Date.now()}, 'cli', 'old', 'dns.add', 'change', '{"name":"a","ptr":false}', 'ok');`);
      old.close();
      const reading = AuditStore.openForReading(data) as AuditStore;
      const [row] = reading.list();
      reading.close();
      expect(row?.defaultOff).toEqual([]);
      expect(summariseInput(row?.input ?? {}, 60, row?.defaultOff)).toBe('name=a ptr=false');
      // Opened for writing, the database gains the column; the old row still has nothing in it.
      const store = AuditStore.open(data);
      store.begin({ startedAt: Date.now(), actor: { surface: 'cli', id: 'new' }, operation: 'dns.add', risk: 'change', input: { name: 'b', ptr: false }, defaultOff: ['ptr'] });
      expect(store.list().map((r) => summariseInput(r.input, 60, r.defaultOff))).toEqual(['name=a ptr=false', 'name=b']);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('homelab audit shows a row whose input is not a JSON object as unreadable, and the other rows as ever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-audit-foreign-'));
    try {
      const env = { HOMELAB_CONTEXT: '', HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
      const store = AuditStore.open(env.HOMELAB_DATA_HOME);
      const id = store.begin({ startedAt: Date.now(), actor: { surface: 'cli', id: 'root' }, operation: 'dns.add', risk: 'change', input: { name: 'qtest', ip: '10.5.0.77' } });
      store.finish(id, { ok: true, durationMs: 5 });
      store.close();
      const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { prepare(sql: string): { run(...values: unknown[]): unknown }; close(): void };
      const db = new Database(auditFile(env.HOMELAB_DATA_HOME));
      const insert = db.prepare('INSERT INTO audit (started_at, surface, actor, operation, risk, input, outcome, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const input of ['null', '"abc"', '[1,2]', '{broken']) insert.run(Date.now(), 'cli', 'root', 'dns.add', 'change', input, 'ok', 'default');
      insert.run(Date.now(), 'elsewhere', 'root', 'foreign.op', 'odd', '{"a":1}', 'half-done', 'default');
      db.close();
      const audit = await runCli(['audit'], env);
      expect([audit.code, audit.stderr]).toEqual([0, '']);
      const lines = audit.stdout.split('\n').filter((l) => /dns\.add|foreign\.op/.test(l));
      expect(lines).toHaveLength(6);
      expect(lines[0]).toMatch(/dns\.add\s+name=qtest ip=10\.5\.0\.77\s+ok/);
      expect(lines.slice(1, 5).map((l) => /unreadable=(\S+)/.exec(l)?.[1])).toEqual(['null', '"abc"', '[1,2]', '{broken']);
      expect(lines[5]).toMatch(/elsewhere\s+root\s+foreign\.op\s+a=1\s+error: outcome "half-done" is not one homelab writes/);
      const json = await runCli(['audit', '--json'], env);
      const rows = JSON.parse(json.stdout) as { input: unknown; surface: string; risk: string; outcome: string }[];
      expect(rows.map((r) => r.input)).toEqual([{ name: 'qtest', ip: '10.5.0.77' }, { unreadable: 'null' }, { unreadable: '"abc"' }, { unreadable: '[1,2]' }, { unreadable: '{broken' }, { a: 1 }]);
      expect(rows[5]).toMatchObject({ surface: 'elsewhere', risk: 'odd', outcome: 'error' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('homelab audit lists a setting turned off', async () => {
    const env = { ...lab.current.env };
    const guest = (lab.current.sims.get('pve') as PveSim).state.guests.get(104);
    if (!guest) throw new Error('the lab has no guest 104');
    guest.config.onboot = 1;
    guest.config.protection = 1;
    const set = await runCli(['pve', 'set', '104', '--no-onboot', '--no-protection', '--yes'], env);
    expect(set.code, set.stderr).toBe(0);
    const audit = await runCli(['audit', '--operation', 'pve.set', '--limit', '1'], env);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/pve\.set\s+vmid=104 onboot=false protection=false\s+ok/);
  });
});
