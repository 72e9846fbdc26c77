/**
 * The kept runs of one MCP connection: a clear (after a change call) forgets every run, and a
 * run that started before a clear is not kept when it ends after it (it may show the lab as it
 * was before the change).
 */
import { describe, expect, it } from 'vitest';
import { KeptRuns } from '../../../src/surfaces/mcp/kept-runs.js';

const run = { end: { ok: true as const, value: [1, 2, 3] }, at: 1_000 };

describe('MCP kept runs', () => {
  it('forgets every run on clear, and keeps none that started before it', () => {
    const kept = new KeptRuns(() => 1_500);
    kept.keep('a', run);
    expect(kept.recent('a')).toBe(run);
    const startedAt = kept.generation;
    kept.clear();
    expect(kept.recent('a')).toBeUndefined();
    kept.keep('b', run, startedAt);
    expect(kept.recent('b')).toBeUndefined();
    kept.keep('c', run, kept.generation);
    expect(kept.recent('c')).toBe(run);
  });
});
