/**
 * @module services/proxy/sim/json-schema
 * The subset of JSON Schema NPM's OpenAPI documents use, checked the way ajv (first
 * error only) reports it: `data/forward_port must be <= 65535`,
 * `data must NOT have additional properties`. Object keywords run in ajv's order
 * (required, additionalProperties, then properties).
 */

/** A schema node. */
export type JsonSchema =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'boolean' }
  | { type: 'array'; items?: JsonSchema; minItems?: number; maxItems?: number; uniqueItems?: boolean }
  | { type: 'object'; properties?: Record<string, JsonSchema>; required?: readonly string[]; additionalProperties?: boolean; minProperties?: number }
  | { anyOf: readonly JsonSchema[] }
  | { nullable: JsonSchema }
  | { any: true };

/** Validates a value; returns the first error as ajv words it (with the `data` prefix), or undefined. */
export function validate(schema: JsonSchema, value: unknown, path = 'data'): string | undefined {
  if ('any' in schema) return undefined;
  if ('nullable' in schema) return value === null ? undefined : validate(schema.nullable, value, path);
  if ('anyOf' in schema) return schema.anyOf.some((s) => validate(s, value, path) === undefined) ? undefined : `${path} must match a schema in anyOf`;
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return `${path} must be string`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${path} must NOT have more than ${schema.maxLength} characters`;
      if (schema.minLength !== undefined && value.length < schema.minLength) return `${path} must NOT have fewer than ${schema.minLength} characters`;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return `${path} must match pattern "${schema.pattern}"`;
      if (schema.enum && !schema.enum.includes(value)) return `${path} must be equal to one of the allowed values`;
      return undefined;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${path} must be integer`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${path} must be <= ${schema.maximum}`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${path} must be >= ${schema.minimum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be boolean`;
    case 'array': {
      if (!Array.isArray(value)) return `${path} must be array`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${path} must NOT have more than ${schema.maxItems} items`;
      if (schema.minItems !== undefined && value.length < schema.minItems) return `${path} must NOT have fewer than ${schema.minItems} items`;
      if (schema.items) {
        for (let i = 0; i < value.length; i++) {
          const err = validate(schema.items, value[i], `${path}/${i}`);
          if (err) return err;
        }
      }
      if (schema.uniqueItems) {
        const seen = value.map((v) => JSON.stringify(v));
        for (let j = seen.length - 1; j > 0; j--) {
          const i = seen.indexOf(seen[j] as string);
          if (i < j) return `${path} must NOT have duplicate items (items ## ${i} and ${j} are identical)`;
        }
      }
      return undefined;
    }
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return `${path} must be object`;
      const obj = value as Record<string, unknown>;
      if (schema.minProperties !== undefined && Object.keys(obj).length < schema.minProperties) return `${path} must NOT have fewer than ${schema.minProperties} properties`;
      for (const key of schema.required ?? []) if (!(key in obj)) return `${path} must have required property '${key}'`;
      if (schema.additionalProperties === false) {
        for (const key of Object.keys(obj)) if (!schema.properties?.[key]) return `${path} must NOT have additional properties`;
      }
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (key in obj) {
          const err = validate(sub, obj[key], `${path}/${key}`);
          if (err) return err;
        }
      }
      return undefined;
    }
  }
}
