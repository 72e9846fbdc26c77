/**
 * `pagedAnswer` on results made here (no lab): whatever is appended (the showing line, the
 * note that limit and offset do not apply) stays within the text cap, and a page's note never
 * says the structured content has all of the text when it holds one page.
 */
import { describe, expect, it } from 'vitest';
import type { ToolResult } from '../../../src/surfaces/mcp/call.js';
import { TEXT_CAP, pagedAnswer } from '../../../src/surfaces/mcp/paging.js';

/** Draws each item of a list (or the result) as one line of `width` characters. */
const drawn = (width: number) => (result: unknown): ToolResult => {
  const items = Array.isArray(result) ? result : [result];
  return { content: [{ type: 'text', text: items.map((i) => String(i).padEnd(width, '.')).join('\n') }], structuredContent: { result } };
};

describe('pagedAnswer', () => {
  it('cuts a long answer that is no list before it says limit and offset do not apply, within the cap', () => {
    const answer = pagedAnswer('one long thing', { list: true, page: { limit: 5 } }, drawn(40_000));
    const text = answer.content[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(TEXT_CAP);
    expect(text.split('\n').slice(-2)).toEqual([expect.stringMatching(/^… cut at \d+ of 40000 characters; the structured content has all of it$/), 'limit and offset page a list; this answer is not one']);
  });

  it('cuts a page of one item too long for the cap before its showing line, and says the structured content has the page', () => {
    const items = Array.from({ length: 30 }, (_, i) => `item ${i}`);
    const answer = pagedAnswer(items, { list: true, page: { offset: 3, limit: 1 } }, drawn(30_000));
    const text = answer.content[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(TEXT_CAP);
    expect(text.split('\n').slice(-2)).toEqual([expect.stringMatching(/^… cut at \d+ of 30000 characters; the structured content has all of this page$/), 'showing 4–4 of 30; pass offset: 4 for more']);
    expect(answer.structuredContent).toMatchObject({ result: ['item 3'], total: 30, nextOffset: 4 });
  });

  it('makes a limit asked for smaller when its page is too long, and says so on the showing line', () => {
    const items = Array.from({ length: 500 }, (_, i) => `item ${i}`);
    const answer = pagedAnswer(items, { list: true, page: { limit: 500 } }, drawn(200));
    const text = answer.content[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(TEXT_CAP);
    expect(text.split('\n').at(-1)).toBe('showing 1–100 of 500; pass offset: 100 for more; a page of 500 is too long for one answer');
    expect((answer.structuredContent?.result as unknown[]).length).toBe(100);
  });

  it('says an empty list is empty, and an offset past the end of one that is not', () => {
    expect(pagedAnswer({ rows: [] }, { list: 'rows', page: { limit: 5 } }, drawn(10)).content[0]?.text.split('\n').at(-1)).toBe('showing none of 0 (rows)');
    expect(pagedAnswer([1, 2], { list: true, page: { offset: 9 } }, drawn(10)).content[0]?.text.split('\n').at(-1)).toBe('showing none of 2: offset 9 is past the end');
  });
});
