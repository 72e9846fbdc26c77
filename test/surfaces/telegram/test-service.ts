/**
 * @module test/surfaces/telegram/test-service
 * A registry for bot tests: every real service plus `t`, whose operations produce what
 * the tests need (a reply of a chosen length, HTML-hostile text, chatty progress).
 */
import { z } from 'zod';
import { OperationError } from '../../../src/core/errors.js';
import { defineOperation, type ServiceModule } from '../../../src/core/operation.js';
import { Registry } from '../../../src/core/registry.js';
import { text } from '../../../src/core/render.js';
import { serviceModules } from '../../../src/services/index.js';

/** The text `t long <chars>` replies with: numbered lines, exactly `chars` long. */
export function longText(chars: number): string {
  const lines: string[] = [];
  let length = -1;
  for (let i = 0; length < chars; i++) {
    const line = `line ${String(i).padStart(4, '0')} ${'.'.repeat(20 + (i % 37))}|`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n').slice(0, chars);
}

/** The `t` service. */
export const testService: ServiceModule = {
  name: 't',
  summary: 'Test operations',
  operations: [
    defineOperation({
      id: 't.long', summary: 'Reply with N characters', args: ['chars'], risk: 'read',
      input: z.object({ chars: z.number().int().min(1).max(100_000), note: z.string().optional().describe('ignored (makes the command long)') }),
      run: async (_ctx, input) => ({ text: longText(input.chars) }),
      render: (r) => [text(r.text)],
    }),
    defineOperation({
      id: 't.html', summary: 'Reply with text full of HTML specials', risk: 'read',
      input: z.object({}),
      run: async () => ({ text: '<b>not bold</b> & <script>alert("x")</script> 1 < 2 > 0 &amp;' }),
      render: (r) => [text(r.text)],
    }),
    defineOperation({
      id: 't.chatty', summary: 'Report progress 25 times, then finish', risk: 'read',
      input: z.object({}),
      run: async (ctx) => {
        for (let i = 1; i <= 25; i++) ctx.progress(`step ${i} of 25`);
        return { steps: 25 };
      },
    }),
    defineOperation({
      id: 't.fail', summary: 'Fail with a long message, 25 long details and a long hint', risk: 'read',
      input: z.object({ note: z.string().optional().describe('ignored (makes the command long)') }),
      run: async () => {
        const details = Array.from({ length: 25 }, (_, i) => `detail ${i + 1}: ${'x'.repeat(400)}`);
        throw new OperationError(`could not do it: ${'m'.repeat(3000)} failed at the end`, `try again: ${'h'.repeat(2000)}`, details);
      },
    }),
    defineOperation({
      id: 't.slow', summary: 'Wait until stopped', risk: 'read',
      input: z.object({ note: z.string().optional().describe('ignored (makes the command long)') }),
      run: (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true })),
    }),
    defineOperation({
      id: 't.touch', summary: 'A change that records who ran it', args: ['name'], risk: 'change',
      input: z.object({ name: z.string().regex(/^[a-z]+$/) }),
      confirm: (input) => `Touch ${input.name}`,
      run: async (ctx, input) => {
        touched.push({ name: input.name, actor: ctx.actor.id });
        return { touched: input.name };
      },
    }),
  ],
};

/** What `t touch` recorded. */
export const touched: { name: string; actor: string }[] = [];

/**
 * Every real service plus `t` and `extra`; a real service of the same name as one in
 * `extra`, and real operations with the same ids, give way to the test ones.
 */
export function testRegistry(extra: readonly ServiceModule[] = []): Registry {
  const names = new Set(extra.map((s) => s.name).filter(Boolean));
  const ids = new Set(extra.flatMap((s) => s.operations.map((o) => o.id)));
  const real = serviceModules.filter((s) => !names.has(s.name)).map((s) => ({ ...s, operations: s.operations.filter((o) => !ids.has(o.id)) }));
  return new Registry([...real, testService, ...extra]);
}

/** A stand-in `status` (top level) and `pbs status`, to check the shortcuts route to them. */
export const shortcutServices: ServiceModule[] = [
  {
    name: '', summary: 'top level',
    operations: [defineOperation({ id: 'status', summary: 'Everything at a glance', risk: 'read', input: z.object({}), run: async () => ({ all: 'fine' }), render: () => [text('STATUS: all 7 services answered')] })],
  },
  {
    name: 'pbs', summary: 'Backups',
    operations: [defineOperation({ id: 'pbs.status', summary: 'Backup status', risk: 'read', input: z.object({}), run: async () => ({ ok: true }), render: () => [text('PBS: 12 groups, 1 stale')] })],
  },
];
