/**
 * @module services/pve/sim/validate
 * Parameter verification as PVE's `PVE::JSONSchema::validate` does it for a method's
 * parameters: unknown names, missing required ones, types (booleans only as 0/1),
 * named formats, patterns, lengths, ranges, enums and `requires`, with PVE's messages.
 * The result is the `errors` map of a 400 `Parameter verification failed.` answer.
 */
import { checkNamedFormat, perlPattern } from './formats.js';
import type { EndpointSchema, ParamSchema } from './schema.js';

type Errors = Record<string, string>;

const isNumber = (v: string): boolean => /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v);
const isInteger = (v: string): boolean => /^[+-]?\d+$/.test(v);

/** The Perl scalar a request value becomes. */
function scalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Perl's `ref($value)` for a decoded JSON value, or '' for a plain scalar. */
function refType(value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'boolean') return 'JSON::PP::Boolean';
  if (value !== null && typeof value === 'object') return 'HASH';
  return '';
}

function checkType(type: string | undefined, value: unknown): string | undefined {
  if (!type || type === 'any') return undefined;
  const ref = refType(value);
  if (type === 'array' || type === 'object') {
    return ref === (type === 'array' ? 'ARRAY' : 'HASH') ? undefined : `type check ('${type}') failed`;
  }
  if (ref) {
    if (type === 'boolean' && ref === 'JSON::PP::Boolean') return undefined;
    return `type check ('${type}') failed - got ${ref}`;
  }
  const v = scalar(value);
  if (type === 'boolean' && v !== '1' && v !== '0') return `type check ('boolean') failed - got '${v}'`;
  if (type === 'integer' && !isInteger(v)) return `type check ('integer') failed - got '${v}'`;
  if (type === 'number' && !isNumber(v)) return `type check ('number') failed - got '${v}'`;
  return undefined;
}

/** PVE's `parse_boolean` for property-string sub-keys (1/on/yes/true, 0/off/no/false). */
function parseBoolean(raw: string): string {
  if (/^(1|on|yes|true)$/i.test(raw)) return '1';
  if (/^(0|off|no|false)$/i.test(raw)) return '0';
  return raw;
}

/** Checks a property string (`key=value,...`) against its sub-key schema; returns the first error. */
function checkPropertyString(format: Record<string, ParamSchema>, value: string): string | undefined {
  const parsed: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/.exec(part);
    if (kv) {
      let key = kv[1] ?? '';
      if (parsed[key] !== undefined) return `duplicate key in comma-separated list property: ${key}`;
      key = format[key]?.alias ?? key;
      const sub = format[key];
      if (!sub) return `invalid key in comma-separated list property: ${key}`;
      const raw = kv[2] ?? '';
      parsed[key] = sub.type === 'boolean' ? parseBoolean(raw) : raw;
    } else if (!part.includes('=')) {
      const defaultKey = Object.keys(format).find((k) => format[k]?.default_key);
      if (!defaultKey) return 'value without key, but schema does not define a default key';
      if (parsed[defaultKey] !== undefined) return `duplicate key in comma-separated list property: ${defaultKey}`;
      parsed[defaultKey] = part;
    } else {
      return 'missing key in comma-separated list property';
    }
  }
  const errors: Errors = {};
  for (const [key, schema] of Object.entries(format)) checkProp(parsed[key], schema, key, errors);
  const first = Object.entries(errors)[0];
  return first ? `format error\n${first[0]}: ${first[1]}` : undefined;
}

function checkProp(value: unknown, schema: ParamSchema, path: string, errors: Errors): void {
  if (value === undefined || value === null) {
    if (!schema.optional && !schema.alias) errors[path] = 'property is missing and it is not optional';
    return;
  }
  const typeError = checkType(schema.type, value);
  if (typeError) { errors[path] = typeError; return; }
  if (refType(value) && refType(value) !== 'JSON::PP::Boolean') return;
  const v = scalar(value);
  if (schema.format) {
    const err = typeof schema.format === 'string' ? checkNamedFormat(schema.format, v) : checkPropertyString(schema.format, v);
    if (err) { errors[path] = `invalid format - ${err}\n`; return; }
  }
  if (schema.pattern && !perlPattern(schema.pattern).test(v)) { errors[path] = 'value does not match the regex pattern'; return; }
  if (schema.maxLength !== undefined && v.length > schema.maxLength) { errors[path] = `value may only be ${schema.maxLength} characters long`; return; }
  if (schema.minLength !== undefined && v.length < schema.minLength) { errors[path] = `value must be at least ${schema.minLength} characters long`; return; }
  if (isNumber(v)) {
    if (schema.maximum !== undefined && Number(v) > schema.maximum) { errors[path] = `value must have a maximum value of ${schema.maximum}`; return; }
    if (schema.minimum !== undefined && Number(v) < schema.minimum) { errors[path] = `value must have a minimum value of ${schema.minimum}`; return; }
  }
  if (schema.enum && !schema.enum.includes(v)) {
    errors[path] = `value '${v}' does not have a value in the enumeration '${schema.enum.join(', ')}'`;
  }
}

/** The schema entry for a parameter name, resolving numbered families (`net[n]` → `net0`). */
function schemaFor(endpoint: EndpointSchema, name: string): ParamSchema | undefined {
  const direct = endpoint.parameters[name];
  if (direct) return direct;
  const m = /^(.*?)(\d+)$/.exec(name);
  return m ? endpoint.parameters[`${m[1] ?? ''}[n]`] : undefined;
}

/** Validates all parameters of one call (path parameters included); returns the errors, empty when valid. */
export function validateParams(endpoint: EndpointSchema, params: Record<string, unknown>): Errors {
  const errors: Errors = {};
  for (const [name, schema] of Object.entries(endpoint.parameters)) {
    if (name.endsWith('[n]')) continue;
    checkProp(params[name], schema, name, errors);
  }
  for (const [name, value] of Object.entries(params)) {
    const schema = schemaFor(endpoint, name);
    if (!schema) {
      if (endpoint.additionalParameters === false) {
        errors[name] = 'property is not defined in schema and the schema does not allow additional properties';
      }
      continue;
    }
    if (name !== schemaKey(endpoint, name)) checkProp(value, schema, name, errors);
    if (schema.requires && params[schema.requires] === undefined) {
      errors[schema.requires] = `missing property - '${name}' requires this property`;
    }
  }
  return errors;
}

function schemaKey(endpoint: EndpointSchema, name: string): string {
  return endpoint.parameters[name] ? name : `${name.replace(/\d+$/, '')}[n]`;
}
