/**
 * Forms generated from zod schemas: the field kinds, required keys, defaults, help and
 * bounds read from an operation's input, and submitted values turned back into raw
 * input that the operation's own parseInput then checks (numbers as the CLI reads them,
 * checkboxes from a whole form or a link, an optional switch without a default as a
 * three-way choice that sends nothing unless chosen, lists, a non-number left for the
 * schema to refuse); keys only the
 * command line takes left out; the row links an operation declares, and the registry's
 * declarations all usable.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOperation, type AnyOperation } from '../../../src/core/operation.js';
import { checkForm } from '../../../src/surfaces/web/form-check.js';
import { fieldsOf, requiredKeys } from '../../../src/surfaces/web/form-fields.js';
import { formToInput } from '../../../src/surfaces/web/form-input.js';
import { getRegistry } from '../../../src/services/index.js';
import { webServices } from '../../../src/surfaces/web/exposure.js';
import { columnLinks, declaredLinks, normalise } from '../../../src/surfaces/web/row-links.js';

const op = defineOperation({
  id: 'demo.make',
  summary: 'Make a thing',
  args: ['name'],
  input: z.object({
    size: z.number().int().min(1).max(64).default(8).describe('size in GiB'),
    name: z.string().min(1).describe('what to call it'),
    kind: z.enum(['small', 'large']).optional(),
    start: z.boolean().default(true),
    tags: z.array(z.string()).optional(),
    locked: z.boolean().optional(),
    sure: z.boolean(),
    ports: z.array(z.number().int()).optional(),
  }),
  risk: 'change',
  run: async () => ({}),
});

describe('form fields from a zod schema', () => {
  it('reads kinds, required keys, defaults, help and bounds; positional keys first', () => {
    const fields = fieldsOf(op);
    expect(fields.map((f) => f.key)).toEqual(['name', 'size', 'kind', 'start', 'tags', 'locked', 'sure', 'ports']);
    expect(fields[0]).toMatchObject({ key: 'name', kind: 'text', required: true, positional: true, help: 'what to call it' });
    expect(fields[1]).toMatchObject({ key: 'size', kind: 'integer', required: false, defaultValue: '8', min: 1, max: 64, help: 'size in GiB' });
    expect(fields[2]).toMatchObject({ key: 'kind', kind: 'select', options: ['small', 'large'], required: false });
    expect(fields[3]).toMatchObject({ key: 'start', kind: 'checkbox', defaultValue: true });
    expect(fields[4]).toMatchObject({ key: 'tags', kind: 'list', itemKind: 'text' });
    // An optional switch without a default is three-way (left out, on, off); a required one is a box.
    expect(fields[5]).toMatchObject({ key: 'locked', kind: 'tristate', required: false });
    expect(fields[5]?.defaultValue).toBeUndefined();
    expect(fields[6]).toMatchObject({ key: 'sure', kind: 'checkbox', required: true });
    expect(fields[7]).toMatchObject({ key: 'ports', kind: 'list', itemKind: 'integer' });
    expect(requiredKeys(op)).toEqual(['name', 'sure']);
  });
});

describe('submitted values to input', () => {
  const fields = fieldsOf(op);

  it('types values by field; a whole form turns an unchecked box into false, a link leaves it to the default', () => {
    expect(formToInput(fields, { name: ' box ', size: '16', kind: '', tags: 'a, b\nc', ports: '22\n80' }, true)).toEqual({ name: 'box', size: 16, start: false, sure: false, tags: ['a', 'b', 'c'], ports: [22, 80] });
    expect(formToInput(fields, { name: 'box' }, false)).toEqual({ name: 'box' });
    expect(checkForm(op, formToInput(fields, { name: 'box', sure: 'true' }, false))).toEqual({ ok: true, input: { name: 'box', size: 8, start: true, sure: true } });
  });

  it('sends an optional switch without a default only when it is chosen: never false for "unchanged"', () => {
    expect(formToInput(fields, { name: 'box', locked: '' }, true)).not.toHaveProperty('locked');
    expect(formToInput(fields, { name: 'box' }, true)).not.toHaveProperty('locked');
    expect(formToInput(fields, { name: 'box', locked: 'true' }, true)).toMatchObject({ locked: true });
    expect(formToInput(fields, { name: 'box', locked: 'false' }, true)).toMatchObject({ locked: false });
    expect(formToInput(fields, { name: 'box', locked: 'no' }, false)).toMatchObject({ locked: false });
    // Anything else is left for the schema to refuse by name.
    const odd = checkForm(op, formToInput(fields, { name: 'box', sure: 'true', locked: 'maybe' }, true));
    expect(!odd.ok && Object.keys(odd.errors)).toEqual(['locked']);
  });

  it('reads numbers as the command line does: plain decimal, digits only for an integer', () => {
    for (const size of ['0x10', '1e1', '+16', '.5', '16.0', '1_0']) {
      expect(formToInput(fields, { name: 'box', size }, true).size, size).toBe(size);
      const checked = checkForm(op, formToInput(fields, { name: 'box', sure: 'true', size }, true));
      expect(!checked.ok && Object.keys(checked.errors), size).toEqual(['size']);
    }
    expect(formToInput(fields, { name: 'box', size: '-3', ports: '0x16\n22' }, true)).toMatchObject({ size: -3, ports: ['0x16', 22] });
  });

  it("leaves a non-number as text so the schema's own message names the field", () => {
    const checked = checkForm(op, formToInput(fields, { name: 'box', size: 'big' }, true));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && Object.keys(checked.errors)).toEqual(['size']);
    const missing = checkForm(op, formToInput(fields, { size: '100' }, true));
    expect(!missing.ok && Object.keys(missing.errors).sort()).toEqual(['name', 'size']);
  });
});

describe('row links', () => {
  it("link a column to the read operation whose one required key it names, in the same service only", () => {
    const show = defineOperation({ id: 'demo.show', summary: 's', args: ['name'], input: z.object({ name: z.string(), verbose: z.boolean().default(false) }), risk: 'read', run: async () => ({}) });
    const list = defineOperation({ id: 'demo.list', summary: 'l', input: z.object({}), risk: 'read', run: async () => ({}) });
    const other = defineOperation({ id: 'other.show', summary: 'o', args: ['id'], input: z.object({ id: z.string() }), risk: 'read', run: async () => ({}) });
    const links = columnLinks([op, show, list, other], list, [{ header: 'Name' }, { header: 'ID' }, { header: 'size' }]);
    expect([...links.keys()]).toEqual([0]);
    expect(links.get(0)?.op.id).toBe('demo.show');
  });
});

describe('what the registry declares for the web', () => {
  const offered = webServices(getRegistry()).flatMap((s) => s.operations);

  it('leaves out the keys only the command line takes, so a submitted one is never passed on', () => {
    const exporter = offered.find((o) => o.id === 'export');
    expect(exporter?.cliOnlyInputs).toEqual(['file', 'force']);
    expect(fieldsOf(exporter as AnyOperation).map((f) => f.key)).toEqual([]);
    expect(formToInput(fieldsOf(exporter as AnyOperation), { file: '/etc/passwd', force: 'true' }, true)).toEqual({});
    for (const o of offered.filter((x) => x.cliOnlyInputs?.length)) {
      const shape = Object.keys(o.input.shape);
      const required = Object.entries(o.input.shape).filter(([, v]) => !(v as { safeParse(x: unknown): { success: boolean } }).safeParse(undefined).success).map(([k]) => k);
      for (const key of o.cliOnlyInputs ?? []) {
        expect(shape, `${o.id}: ${key} is an input key`).toContain(key);
        expect(required, `${o.id}: ${key} is optional`).not.toContain(key);
      }
    }
  });

  it('names, in every rowDetails, a read operation offered on the web that takes one key', () => {
    const declaring = offered.filter((o) => o.rowDetails?.length);
    expect(declaring.map((o) => o.id)).toEqual(expect.arrayContaining(['proxy.list', 'kuma.list', 'kuma.status', 'beszel.alerts', 'pbs.status']));
    for (const o of declaring) {
      for (const d of o.rowDetails ?? []) {
        const detail = offered.find((x) => x.id === d.op);
        expect(detail?.risk, `${o.id} → ${d.op}`).toBe('read');
        // One required key, or none and a positional one (`pbs usage [store]`).
        const keys = requiredKeys(detail as AnyOperation);
        expect(keys.length === 1 || (keys.length === 0 && detail?.args?.[0] !== undefined), `${o.id} → ${d.op}`).toBe(true);
        // …and the dashboard draws the link.
        expect(declaredLinks(offered, o).get(normalise(d.column))?.op.id, `${o.id} → ${d.op}`).toBe(d.op);
      }
    }
  });

  it('links a column to a detail read whose key is optional and positional, after one that requires it', () => {
    const history = defineOperation({ id: 'demo.history', summary: 'h', args: ['node'], input: z.object({ node: z.string().optional(), span: z.enum(['hour', 'day']).default('hour') }), risk: 'read', run: async () => ({}) });
    const filter = defineOperation({ id: 'demo.tasks', summary: 't', input: z.object({ node: z.string().optional() }), risk: 'read', run: async () => ({}) });
    const nodes = defineOperation({ id: 'demo.nodes', summary: 'n', input: z.object({}), risk: 'read', run: async () => ({}) });
    const links = columnLinks([op, history, filter, nodes], nodes, [{ header: 'node' }, { header: 'status' }]);
    expect([...links.entries()].map(([i, l]) => [i, l.op.id, l.key])).toEqual([[0, 'demo.history', 'node']]);
    const status = defineOperation({ id: 'demo.node', summary: 'n', args: ['node'], input: z.object({ node: z.string() }), risk: 'read', run: async () => ({}) });
    expect(columnLinks([op, history, status, nodes], nodes, [{ header: 'node' }]).get(0)?.op.id).toBe('demo.node');
  });

  it('links a declared column even when its header is not the detail key', () => {
    const show = defineOperation({ id: 'demo.show', summary: 's', args: ['thing'], input: z.object({ thing: z.string() }), risk: 'read', run: async () => ({}) });
    const list = defineOperation({ id: 'demo.list', summary: 'l', input: z.object({}), risk: 'read', rowDetails: [{ column: 'id', op: 'demo.show' }, { column: 'size', op: 'demo.make' }], run: async () => ({}) });
    const links = columnLinks([op, show, list], list, [{ header: 'name' }, { header: 'ID' }, { header: 'size' }]);
    // demo.make changes something: never a detail page.
    expect([...links.entries()].map(([i, l]) => [i, l.op.id, l.key])).toEqual([[1, 'demo.show', 'thing']]);
  });
});
