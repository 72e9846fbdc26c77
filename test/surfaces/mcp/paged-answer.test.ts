/**
 * `pagedAnswer` on results made here (no lab): whatever is appended (the showing line, the
 * note that limit and offset do not apply) stays within the text cap, and a page's note never
 * says the structured content has all of the text when it holds one page. A window an
 * operation was asked for (Operation.page) is numbered from its offset, and kept runs last 60 s.
 */
import { describe, expect, it } from 'vitest';
import type { ToolResult } from '../../../src/surfaces/mcp/call.js';
import { KEPT_MS, KeptRuns, MAX_KEPT } from '../../../src/surfaces/mcp/kept-runs.js';
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

describe('pagedAnswer of a window (Operation.page)', () => {
  const rows = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

  it('numbers the window from its offset, with the total the result says', () => {
    const answer = pagedAnswer({ rows: rows(20, 10), total: 50 }, { list: 'rows', page: { offset: 20, limit: 10 }, window: { offset: 20, limit: 10 } }, drawn(10));
    expect(answer.content[0]?.text.split('\n').at(-1)).toBe('showing 21–30 of 50 (rows); pass offset: 30 for more');
    expect(answer.structuredContent).toMatchObject({ total: 50, nextOffset: 30 });
    expect(answer.structuredContent?.pageTotal).toBeUndefined();
  });

  it('goes on after the whole window when an item of it is missing (its read failed)', () => {
    const answer = pagedAnswer({ rows: rows(0, 9), total: 50 }, { list: 'rows', page: {}, window: { offset: 0, limit: 10 } }, drawn(10));
    expect(answer.content[0]?.text.split('\n').at(-1)).toBe('showing 1–10 of 50 (rows); pass offset: 10 for more');
  });

  it('answers a window that is the whole short list whole, with no showing line', () => {
    const answer = pagedAnswer({ rows: rows(0, 5), total: 5 }, { list: 'rows', page: {}, window: { offset: 0, limit: 100 } }, drawn(10));
    expect(answer.content[0]?.text).not.toContain('showing');
    expect(answer.structuredContent?.nextOffset).toBeUndefined();
  });
});

describe('kept runs', () => {
  it('answers from a run for 60 s, then not; keeps at most MAX_KEPT', () => {
    let now = 1_000_000;
    const kept = new KeptRuns(() => now);
    const key = KeptRuns.key('check', '', { probe: false });
    kept.keep(key, { end: { ok: true, value: 1 }, at: now });
    now += KEPT_MS - 1;
    expect(kept.recent(key)?.end).toEqual({ ok: true, value: 1 });
    now += 1;
    expect(kept.recent(key)).toBeUndefined();
    for (let i = 0; i <= MAX_KEPT; i++) kept.keep(KeptRuns.key('check', String(i), {}), { end: { ok: true, value: i }, at: now });
    expect(kept.recent(KeptRuns.key('check', '0', {}))).toBeUndefined();
    expect(kept.recent(KeptRuns.key('check', String(MAX_KEPT), {}))?.end).toEqual({ ok: true, value: MAX_KEPT });
  });
});
