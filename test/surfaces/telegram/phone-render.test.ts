/**
 * The bot's phone layout: a table too wide for a phone is stacked two lines per row, and its
 * cells stay one line each and safe, as on the terminal (a stored description with a line
 * break or an escape sequence cannot break the layout or reach the chat raw).
 */
import { describe, expect, it } from 'vitest';
import type { Rendered } from '../../../src/core/render.js';
import { PHONE_WIDTH, renderForPhone } from '../../../src/surfaces/telegram/phone-render.js';

const wide = (description: string, title?: string): Rendered => [{
  type: 'table',
  ...(title ? { title } : {}),
  columns: [{ header: 'vmid', align: 'right' }, { header: 'name' }, { header: 'status' }, { header: 'description' }],
  rows: [[100, 'dns', 'running', description], [101, 'proxy', 'stopped', 'x'.repeat(PHONE_WIDTH)]],
}];

describe('phone layout', () => {
  it('stacks a wide table two lines per row', () => {
    expect(renderForPhone(wide('resolver')).split('\n')).toEqual([
      'VMID  NAME',
      '  STATUS · DESCRIPTION',
      ' 100  dns',
      '  running · resolver',
      ' 101  proxy',
      `  stopped · ${'x'.repeat(PHONE_WIDTH)}`,
    ]);
  });

  it('keeps each stacked cell on one line and shows control characters visibly', () => {
    const text = renderForPhone(wide('first line\nsecond\tline \u001b[2J', 'guests\non pve1'));
    const lines = text.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('guests⏎on pve1');
    expect(lines[4]).toBe('  running · first line⏎second line ␛[2J');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
