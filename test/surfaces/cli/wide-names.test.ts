/**
 * A table stays in line with names that are not one column a UTF-16 unit: the built CLI
 * against the simulators, with a Kuma monitor named in CJK (two columns a character) and
 * one with a decomposed accent (`e` + U+0301: two units, one column). In `kuma list` and
 * `audit`, every column after the name starts at the same terminal column on every row.
 */
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../src/core/display-width.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const CJK = '家庭サーバー監視';
const DECOMPOSED = 'cafe\u0301';

/** The terminal column where the cell that starts with `cell` begins, on `line`. */
const columnOf = (line: string, cell: string): number => displayWidth(line.slice(0, line.indexOf(cell)));

describe('tables with wide and combining names', () => {
  it('kuma list and audit keep the columns after the name in line', async () => {
    for (const [name, url] of [[CJK, 'http://10.5.0.99/'], [DECOMPOSED, 'http://10.5.0.96/']] as const) {
      const added = await runCli(['kuma', 'add', 'http', name, url], env());
      expect(added.code, added.stderr).toBe(0);
    }
    const list = await runCli(['kuma', 'list'], env());
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.split('\n');
    const header = lines[0] ?? '';
    const typeAt = columnOf(header, 'TYPE');
    const rows = [CJK, DECOMPOSED, 'grafana'].map((n) => lines.find((l) => l.includes(`  ${n}  `)) ?? '');
    for (const row of rows) expect(columnOf(row, 'http'), row).toBe(typeAt);

    const audit = await runCli(['audit'], env());
    expect(audit.code, audit.stderr).toBe(0);
    const auditLines = audit.stdout.split('\n');
    const outcomeAt = columnOf(auditLines[0] ?? '', 'OUTCOME');
    const added = auditLines.filter((l) => l.includes('kuma.add.http'));
    expect(added).toHaveLength(2);
    for (const row of added) expect(columnOf(row, 'ok '), row).toBe(outcomeAt);
  });
});
