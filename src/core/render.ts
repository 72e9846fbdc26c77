/**
 * @module core/render
 * What an operation's `render` returns: a list of blocks (tables, field lists, text)
 * that each surface draws its own way — ANSI on a terminal, monospace HTML on Telegram,
 * plain text for MCP. Cells carry an optional tone; colour is the surface's business.
 * `renderText` draws text from data safely: control characters shown visibly, a cell
 * always one line (render-safe.ts). A cell or text block marked `command` is the
 * operation's own command line (a fix to run: `homelab pve start 201`), which a surface
 * with commands of its own may word its way (the bot: `/pve start 201`); everything else
 * is shown as it is.
 */
import { displayWidth, padToWidth } from './display-width.js';
import { terminalLine, terminalText } from './render-safe.js';

/** Semantic colour of a cell or line. */
export type Tone = 'ok' | 'warn' | 'bad' | 'dim' | 'accent';

/** A table cell: plain text, or text with a tone (`command`: it names homelab command lines the operation wrote). */
export type Cell = string | number | null | undefined | { text: string; tone?: Tone; command?: boolean };

/** A table column. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** One block of rendered output. */
export type Block =
  | { type: 'table'; title?: string; columns: Column[]; rows: Cell[][]; empty?: string }
  | { type: 'fields'; title?: string; fields: [string, Cell][] }
  | { type: 'text'; text: string; tone?: Tone; command?: boolean };

/** An operation's human-readable result. */
export type Rendered = Block[];

/** Shorthand for a table block. Column headers ending in `>` are right-aligned. */
export function table(columns: string[], rows: Cell[][], options: { title?: string; empty?: string } = {}): Block {
  return {
    type: 'table',
    columns: columns.map((h) => (h.endsWith('>') ? { header: h.slice(0, -1), align: 'right' as const } : { header: h })),
    rows,
    ...options,
  };
}

/** Shorthand for a field list block. */
export function fields(pairs: [string, Cell][], title?: string): Block {
  return { type: 'fields', fields: pairs, ...(title ? { title } : {}) };
}

/** Shorthand for a text block. */
export function text(value: string, tone?: Tone): Block {
  return tone ? { type: 'text', text: value, tone } : { type: 'text', text: value };
}

/**
 * A text block that names homelab command lines the operation wrote (`fix: homelab pve start
 * 201`): a surface with its own commands may word them its way. Never for data (names, notes).
 */
export function commandText(value: string, tone?: Tone): Block {
  return tone ? { type: 'text', text: value, tone, command: true } : { type: 'text', text: value, command: true };
}

/**
 * The blocks with `words` applied to homelab's own command lines in them (cells and text
 * blocks marked `command`, and tables' empty notes); every other cell, field and text (the
 * services' and the users' data) unchanged. How each surface words command lines.
 */
export function mapCommandLines(blocks: Rendered, words: (text: string) => string): Rendered {
  const cell = (c: Cell): Cell => (c && typeof c === 'object' && c.command ? { ...c, text: words(c.text) } : c);
  return blocks.map((b): Block => {
    if (b.type === 'text') return b.command ? { ...b, text: words(b.text) } : b;
    if (b.type === 'fields') return { ...b, fields: b.fields.map(([k, v]): [string, Cell] => [k, cell(v)]) };
    return { ...b, rows: b.rows.map((r) => r.map(cell)), ...(b.empty !== undefined ? { empty: words(b.empty) } : {}) };
  });
}

/** A cell with a tone. */
export function toned(value: string | number, tone: Tone | undefined): Cell {
  return tone ? { text: String(value), tone } : String(value);
}

/** The text of a cell. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.text;
  return String(cell);
}

/** The tone of a cell, if any. */
export function cellTone(cell: Cell): Tone | undefined {
  return cell && typeof cell === 'object' ? cell.tone : undefined;
}

/** Paints text with a tone; the surface decides how (ANSI, nothing). */
export type Painter = (text: string, tone: Tone | undefined) => string;

const plain: Painter = (t) => t;

/**
 * Draws blocks as aligned monospace text. `paint` adds colour; widths ignore it, and count
 * terminal columns, not UTF-16 units (core/display-width: CJK two, a combining mark none). Text from
 * data is made safe first: no control character reaches the output, and a cell, a title, a
 * header or a field's name is one line, so no value breaks a table row (render-safe.ts).
 */
export function renderText(blocks: Rendered, paint: Painter = plain): string {
  const out: string[] = [];
  const line = (cell: Cell): string => terminalLine(cellText(cell));
  for (const block of blocks) {
    if (block.type === 'text') {
      out.push(paint(terminalText(block.text), block.tone));
      continue;
    }
    if (block.title) out.push(paint(terminalLine(block.title), 'accent'));
    if (block.type === 'fields') {
      const keys = block.fields.map(([k]) => terminalLine(k));
      const width = Math.max(0, ...keys.map(displayWidth));
      block.fields.forEach(([, value], i) => out.push(`${paint(padToWidth(keys[i] ?? '', width), 'dim')}  ${paint(line(value), cellTone(value))}`));
    } else if (block.rows.length === 0) {
      out.push(paint(terminalLine(block.empty ?? '(none)'), 'dim'));
    } else {
      const headers = block.columns.map((c) => terminalLine(c.header.toUpperCase()));
      const rows = block.rows.map((r) => block.columns.map((_, i) => line(r[i])));
      const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
      const pad = (s: string, i: number): string => padToWidth(s, widths[i] ?? 0, block.columns[i]?.align);
      out.push(paint(headers.map((h, i) => pad(h, i)).join('  ').trimEnd(), 'dim'));
      block.rows.forEach((row, r) => {
        out.push(block.columns.map((_, i) => paint(pad(rows[r]?.[i] ?? '', i), cellTone(row[i]))).join('  ').trimEnd());
      });
    }
    out.push('');
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
