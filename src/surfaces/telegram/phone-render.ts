/**
 * @module surfaces/telegram/phone-render
 * Rendered blocks for a phone screen. Tables narrow enough for a phone (44 columns, counted
 * as a monospace font draws them: a CJK character two, core/display-width)
 * are drawn as they are on a terminal; a wider table becomes two lines per row: its
 * first two columns aligned, the remaining cells indented below, joined by " · ".
 * Fields and text blocks are drawn as on the terminal; a stacked table's cells are one line
 * each, made safe as the terminal's are (core/render-safe).
 */
import { cellText, renderText, type Block, type Rendered } from '../../core/render.js';
import { displayWidth, padToWidth } from '../../core/display-width.js';
import { terminalLine } from '../../core/render-safe.js';

/** Width (in monospace columns) that fits a phone in portrait. */
export const PHONE_WIDTH = 44;

/** Draws blocks as monospace text that fits a phone. */
export function renderForPhone(blocks: Rendered, width = PHONE_WIDTH): string {
  const out: string[] = [];
  for (const block of blocks) {
    const drawn = renderText([block]);
    const wide = block.type === 'table' && block.rows.length > 0 && block.columns.length > 2 && drawn.split('\n').some((l) => displayWidth(l) > width);
    out.push(wide ? stacked(block as Extract<Block, { type: 'table' }>) : drawn);
    if (block.type !== 'text') out.push('');
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function stacked(block: Extract<Block, { type: 'table' }>): string {
  const key = (cells: string[]): string[] => cells.slice(0, 2);
  const headers = block.columns.map((c) => terminalLine(c.header.toUpperCase()));
  const rows = block.rows.map((r) => block.columns.map((_, i) => terminalLine(cellText(r[i])) || '-'));
  const w0 = Math.max(...[headers, ...rows].map((r) => displayWidth(r[0] ?? '')));
  const line = (cells: string[]): string => {
    const [a = '', b = ''] = key(cells);
    const first = padToWidth(a, w0, block.columns[0]?.align);
    return `${first}  ${b}`.trimEnd();
  };
  const lines: string[] = [];
  if (block.title) lines.push(terminalLine(block.title));
  lines.push(line(headers), `  ${headers.slice(2).join(' · ')}`);
  for (const row of rows) lines.push(line(row), `  ${row.slice(2).join(' · ')}`);
  return lines.join('\n');
}
