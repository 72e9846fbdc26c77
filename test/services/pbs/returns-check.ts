/**
 * @module test/services/pbs/returns-check
 * Checks an answer's `data` against the `returns` schema of the PBS API dump (types,
 * required keys, enums, patterns, ranges, no undeclared keys where the schema forbids
 * them). Used on the simulator and, in the contract suite, on a real server. The known
 * deviation of the snapshot list (`files` are objects, not strings) is allowed.
 */
import type { ValueSchema } from '../../../src/services/pbs/sim/api-schema.js';
import { rustRegex } from '../../../src/services/pbs/sim/rust-regex.js';

/** Every mismatch of `value` against `schema`, as `path: problem` lines. */
export function returnsErrors(value: unknown, schema: ValueSchema | null, path = 'data'): string[] {
  if (!schema) return [];
  if (value === null || value === undefined) return schema.type === 'null' ? [] : [`${path}: missing`];
  switch (schema.type) {
    case 'null':
      return [`${path}: expected null`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return [`${path}: expected ${schema.type}`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path}: below ${schema.minimum}`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${path}: above ${schema.maximum}`];
      return [];
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: expected string`];
      if (schema.enum && !schema.enum.includes(value)) return [`${path}: '${value}' not in enum`];
      if (schema.pattern && !rustRegex(schema.pattern).test(value)) return [`${path}: '${value}' does not match ${schema.pattern}`];
      return [];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected array`];
      return value.flatMap((v, i) => returnsErrors(v, schema.items ?? null, `${path}[${i}]`));
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected object`];
      const obj = value as Record<string, unknown>;
      const props = schema.properties ?? {};
      const errors: string[] = [];
      for (const [k, s] of Object.entries(props)) {
        if (obj[k] === undefined) {
          if (!s.optional && s.default === undefined) errors.push(`${path}.${k}: missing`);
          continue;
        }
        errors.push(...returnsErrors(obj[k], s, `${path}.${k}`));
      }
      if (schema.additionalProperties === false) {
        for (const k of Object.keys(obj)) if (!(k in props)) errors.push(`${path}.${k}: not declared`);
      }
      return errors;
    }
    default:
      return [];
  }
}

/** The snapshot list's `files` may be objects `{filename, crypt-mode?, size?}` (known deviation): normalised to names. */
export function normaliseSnapshotFiles(data: unknown): unknown {
  if (!Array.isArray(data)) return data;
  return data.map((s: Record<string, unknown>) => ({
    ...s,
    files: Array.isArray(s.files) ? s.files.map((f: unknown) => (typeof f === 'object' && f ? (f as { filename: string }).filename : f)) : s.files,
  }));
}
