/**
 * @module test/property/zod-arbitrary
 * Valid raw inputs for an operation, generated from its zod schema: the schema kinds
 * the registry uses (strings with regex and length checks, enums, literals, unions,
 * integers and decimals with bounds, booleans, optional/default, arrays). Strings
 * checked by a refinement (host names, durations, `host:port`…) come from a pool of
 * shaped candidates, kept only when the field's own schema accepts them, so a value is
 * always what a user could type and the operation would take.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import type { AnyOperation } from '../../src/core/operation.js';

interface CheckDef { check: string; value?: number | bigint; inclusive?: boolean; minimum?: number; maximum?: number; format?: string; pattern?: RegExp }
interface Def { type: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[]; values?: unknown[]; entries?: Record<string, string>; element?: z.ZodType; checks?: { _zod: { def: CheckDef } }[] }

const defOf = (s: z.ZodType): Def => s.def;
const checksOf = (s: z.ZodType): CheckDef[] => (defOf(s).checks ?? []).map((c) => c._zod.def);

/** The schema under optional/default/prefault/nullable wrappers and the input side of pipes. */
export function baseOf(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** Whether the field may be left out (optional, default or prefault somewhere on top). */
export function isOmittable(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const fqdn = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('home.lan', 'example.com', 'lab')).map(([l, d]) => `${l.join('.')}.${d}`);
const port = fc.integer({ min: 1, max: 65535 });

/** Shaped strings for fields a refinement checks; each one named for the report. */
const SHAPED: Record<string, fc.Arbitrary<string>> = {
  hostname,
  fqdn,
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  duration: fc.tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom('s', 'm', 'h', 'd', 'ms', 'w')).map(([n, u]) => `${n}${u}`),
  url: fc.tuple(fc.constantFrom('http', 'https'), fqdn, fc.option(port, { nil: undefined }), fc.stringMatching(/^(?:\/[a-z0-9_-]{1,8}){0,3}$/)).map(([s, h, p, path]) => `${s}://${h}${p ? `:${p}` : ''}${path}`),
  hostPort: fc.tuple(fc.oneof(fqdn, fc.ipV4()), port).map(([h, p]) => `${h}:${p}`),
  v6Port: fc.tuple(fc.ipV6(), port).map(([h, p]) => `[${h}]:${p}`),
  domains: fc.array(fqdn, { minLength: 1, maxLength: 4 }).map((d) => d.join(',')),
  group: fc.tuple(fc.constantFrom('vm', 'ct', 'host'), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,10}$/)).map(([t, id]) => `${t}/${id}`),
  id: fc.integer({ min: 1, max: 999_999 }).map(String),
  recordType: fc.constantFrom('A', 'aaaa', 'CNAME', 'txt', 'PTR', 'MX', 'NS', 'SOA', 'SRV'),
  sshKey: fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.option(fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}$/), { nil: undefined })).map(([key, comment]) => {
    const type = Buffer.from('ssh-ed25519');
    const length = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
    const blob = Buffer.concat([length(type.length), type, length(key.length), Buffer.from(key)]).toString('base64');
    return `ssh-ed25519 ${blob}${comment ? ` ${comment}` : ''}`;
  }),
  cidr4: fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, prefix]) => `${ip}/${prefix}`),
  backupVolid: fc.oneof(
    fc.tuple(fc.constantFrom('pbs', 'backup-nas'), fc.constantFrom('vm', 'ct'), fc.integer({ min: 100, max: 999_999 }), fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }))
      .map(([storage, type, vmid, at]) => `${storage}:backup/${type}/${vmid}/${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}`),
    fc.tuple(fc.constantFrom('local', 'nfs'), fc.constantFrom('qemu', 'lxc'), fc.integer({ min: 100, max: 999_999 }))
      .map(([storage, type, vmid]) => `${storage}:backup/vzdump-${type}-${vmid}-2026_12_04-02_00_00.vma.zst`),
  ),
};

/** Free text, as users type it: letters, unicode (emoji, RTL, combining marks), spaces, quotes, flag-like words. */
export const freeText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.constantFrom('--ttl', '-h', '--help', '-', '--', '-5', '—x', '"quoted"', "it's", ' spaced out ', 'a\nb', '0x65', '1e2'),
);

function stringArbitrary(base: z.ZodType): fc.Arbitrary<string> {
  const checks = checksOf(base);
  const min = Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => c.minimum ?? 0));
  const max = Math.min(200, ...checks.filter((c) => c.check === 'max_length').map((c) => c.maximum ?? 200));
  const regex = checks.find((c) => c.check === 'string_format' && c.format === 'regex')?.pattern;
  if (regex) return fc.stringMatching(new RegExp(regex.source, regex.flags.replace(/[iy]/g, ''))).filter((s) => s.length >= min && s.length <= max);
  return fc.oneof({ arbitrary: freeText, weight: 10 }, ...Object.values(SHAPED)).filter((s) => s.length >= min && s.length <= max);
}

function numberArbitrary(base: z.ZodType): fc.Arbitrary<number> {
  const checks = checksOf(base);
  const integer = /int/.test(String((base as unknown as { format?: string | null }).format ?? ''));
  let min = integer ? Number.MIN_SAFE_INTEGER : -1e6;
  let max = integer ? Number.MAX_SAFE_INTEGER : 1e6;
  for (const c of checks) {
    const v = Number(c.value);
    if (c.check === 'greater_than') min = Math.max(min, c.inclusive ? v : integer ? v + 1 : v + 0.01);
    if (c.check === 'less_than') max = Math.min(max, c.inclusive ? v : integer ? v - 1 : v - 0.01);
  }
  if (integer) return fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
  // Decimals with two places: what people type (`1.5`), never an exponent.
  return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100);
}

/** A value the base schema's type takes (before its refinements; callers filter by the field schema). */
function valueArbitrary(base: z.ZodType): fc.Arbitrary<unknown> {
  const d = defOf(base);
  switch (d.type) {
    case 'boolean': return fc.boolean();
    case 'enum': return fc.constantFrom(...Object.values(d.entries ?? {}));
    case 'literal': return fc.constantFrom(...(d.values ?? []));
    case 'number': return numberArbitrary(base);
    case 'string': return stringArbitrary(base);
    case 'union': return fc.oneof(...(d.options ?? []).map((o) => valueArbitrary(baseOf(o))));
    case 'array': return fc.array(valueArbitrary(baseOf(d.element as z.ZodType)).filter((v) => !String(v).includes(',')), { minLength: 1, maxLength: 4 });
    default: throw new Error(`no arbitrary for zod type ${d.type}`);
  }
}

/**
 * Valid values for one field: the base type's values that the field's schema accepts.
 * Throws when a sample finds none, so that no field silently escapes the round trip.
 */
export function fieldArbitrary(opId: string, key: string, schema: z.ZodType): fc.Arbitrary<unknown> {
  const valid = (v: unknown): boolean => schema.safeParse(v).success;
  const base = baseOf(schema);
  const arbitrary = valueArbitrary(base);
  const hits = fc.sample(arbitrary, { numRuns: 200, seed: 42 }).filter(valid).length;
  if (hits === 0) {
    // A refinement the shapes above do not reach: try the shapes alone before giving up.
    const shaped = Object.values(SHAPED).filter((a) => fc.sample(a, { numRuns: 20, seed: 42 }).some(valid));
    if (shaped.length === 0) throw new Error(`cannot generate a valid ${opId}.${key}: add a shape to test/property/zod-arbitrary.ts`);
    return fc.oneof(...shaped).filter(valid);
  }
  return arbitrary.filter(valid);
}

/** Raw input (what a user types, before transforms) that the operation's schema accepts; optional fields sometimes left out. */
export function inputArbitrary(op: AnyOperation): fc.Arbitrary<Record<string, unknown>> {
  const shape = op.input.shape as Record<string, z.ZodType>;
  const entries = Object.entries(shape).map(([key, schema]) => {
    const value = fieldArbitrary(op.id, key, schema);
    return [key, isOmittable(schema) ? fc.option(value, { nil: undefined, freq: 3 }) : value] as const;
  });
  // Fields are drawn one by one; a rule across fields (check: the error window within the warning one)
  // keeps the valid combinations, and so does an operation's `needsOneOf` (pve set: one setting at least).
  return fc.record(Object.fromEntries(entries)).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)))
    .filter((r) => op.input.safeParse(r).success && (!op.needsOneOf || op.needsOneOf.some((key) => r[key] !== undefined)));
}
