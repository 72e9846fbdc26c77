/**
 * @module surfaces/web/blocks-html
 * Draws an operation's rendered blocks (the same `render` the CLI draws from) as HTML:
 * tables with a header row and toned cells, field lists as definition lists (a titled one
 * under an <h3>, as every result sits under a section's <h2>), text as
 * paragraphs. Text of several lines (a check finding's evidence, a lab.yaml) keeps its line
 * breaks and its indentation within the block (`class="lines"`, pre-wrap), less the
 * indentation all its lines share. Cells of a column that names a detail operation's key
 * become links.
 */
import { cellText, cellTone, type Block, type Cell, type Rendered } from '../../core/render.js';
import { redact } from '../../core/redact.js';
import { h, join, type Html } from './html.js';
import { detailHref, type DetailLink } from './row-links.js';

/** Finds the detail links of a table's columns (index → link). */
export type LinkFinder = (block: Extract<Block, { type: 'table' }>) => Map<number, DetailLink>;

function cell(value: Cell, link?: DetailLink): Html {
  const text = redact(cellText(value));
  const tone = cellTone(value);
  const inner = link && text && text !== '-' ? h`<a href="${detailHref(link, text)}">${text}</a>` : h`${text}`;
  return tone ? h`<span class="tone-${tone}">${inner}</span>` : inner;
}

function tableBlock(block: Extract<Block, { type: 'table' }>, links: Map<number, DetailLink>): Html {
  const title = block.title ? h`<caption>${block.title}</caption>` : '';
  if (block.rows.length === 0) {
    return h`<table>${title}<tbody><tr><td class="dim">${block.empty ?? '(none)'}</td></tr></tbody></table>`;
  }
  const head = join(block.columns.map((c) => h`<th scope="col"${c.align === 'right' ? h` class="num"` : ''}>${c.header}</th>`));
  const rows = block.rows.map((row) => h`<tr>${join(block.columns.map((c, i) => h`<td${c.align === 'right' ? h` class="num"` : ''}>${cell(row[i], links.get(i))}</td>`))}</tr>`);
  return h`<div class="table-wrap"><table>${title}<thead><tr>${head}</tr></thead><tbody>${join(rows)}</tbody></table></div>`;
}

/** Lines of `text` less the indentation they all share (blank lines aside). */
export function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n');
}

function textBlock(block: Extract<Block, { type: 'text' }>): Html {
  const classes = [block.tone ? `tone-${block.tone}` : '', block.text.includes('\n') ? 'lines' : ''].filter(Boolean).join(' ');
  const body = block.text.includes('\n') ? dedent(block.text) : block.text;
  return h`<p${classes ? h` class="${classes}"` : ''}>${redact(body)}</p>`;
}

/** Draws one block. */
export function blockHtml(block: Block, findLinks?: LinkFinder): Html {
  if (block.type === 'text') return textBlock(block);
  if (block.type === 'fields') {
    const items = block.fields.map(([k, v]) => h`<dt>${k}</dt><dd>${cell(v)}</dd>`);
    // Every result is drawn under a section's <h2> (Result, a service page's section, an overview panel).
    return h`${block.title ? h`<h3>${block.title}</h3>` : ''}<dl class="fields">${join(items)}</dl>`;
  }
  return tableBlock(block, findLinks ? findLinks(block) : new Map());
}

/** Draws rendered output. */
export function renderedHtml(blocks: Rendered, findLinks?: LinkFinder): Html {
  return join(blocks.map((b) => blockHtml(b, findLinks)));
}
