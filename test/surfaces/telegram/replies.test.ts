import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startHarness, until, type Harness } from './harness.js';
import { longText, testRegistry } from './test-service.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({ registry: testRegistry() }); });
afterAll(async () => { await h?.stop(); });

async function replies(text: string, count: number) {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  await owner.waitForMessage(() => owner.messages().length >= before + count, `${count} replies to ${text}`, before);
  return owner.messages().slice(before);
}

describe('long replies', () => {
  it('splits a 10,000-character reply at line boundaries into messages under 4096 characters', async () => {
    const sent = await replies('/t long 10000', 3);
    expect(sent).toHaveLength(3);
    for (const m of sent) {
      expect(m.parseMode).toBe('HTML');
      expect(m.text?.startsWith('<pre>')).toBe(true);
      expect(m.plain.length).toBeLessThanOrEqual(4096);
      expect(m.plain.endsWith('|') || m === sent[2]).toBe(true);
    }
    expect(sent.map((m) => m.plain).join('\n')).toBe(longText(10_000));
  });

  it('sends a very long reply as one document with everything in it', async () => {
    const [doc] = await replies('/t long 30000', 1);
    expect(doc?.document?.fileName).toMatch(/^t-long-\d{8}-\d{6}\.txt$/);
    expect(doc?.document?.content.toString('utf8')).toBe(longText(30_000));
    expect(doc?.document?.caption).toContain('30000 characters');
  });
});

describe('HTML', () => {
  it('escapes what operations return (the simulator refuses bad entities)', async () => {
    const [m] = await replies('/t html', 1);
    expect(m?.plain).toBe('<b>not bold</b> & <script>alert("x")</script> 1 < 2 > 0 &amp;');
    expect(m?.text).toContain('&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;script&gt;');
  });

  it('escapes user input echoed in errors', async () => {
    const [m] = await replies('/pve <b>&', 1);
    expect(m?.plain).toContain('unknown command /pve <b>&');
  });
});

describe('progress', () => {
  it('reports 25 progress notes in one message edited a few times, not 25 messages', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const before = owner.messages().length;
    const editsBefore = h.sim.state.calls.filter((c) => c.method === 'editMessageText').length;
    await owner.send('/t chatty');
    await owner.waitForMessage((m) => m.plain.includes('"steps": 25'), 'result', before);
    const progress = await until(() => owner.messages().slice(before).find((m) => m.plain.startsWith('✓ /t chatty: finished')), 'finished progress');
    const sent = owner.messages().slice(before);
    expect(sent.filter((m) => /step \d+ of 25/.test(m.plain) || m.edits.some((e) => /step \d+ of 25/.test(e.plain)))).toEqual([progress]);
    expect(progress.edits[0]?.plain).toBe('⏳ step 1 of 25');
    const edits = h.sim.state.calls.filter((c) => c.method === 'editMessageText').length - editsBefore;
    expect(edits).toBeLessThanOrEqual(3);
  });
});
