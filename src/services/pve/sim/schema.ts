/**
 * @module services/pve/sim/schema
 * The endpoints the simulator implements, straight from the PVE API schema (the subset
 * `scripts/extract-pve-schema.mjs` copies into `pve-schema.json`), and the lookup of a
 * request path such as `/nodes/pve1/qemu/200/status/start` to its endpoint.
 */
import schemaJson from './pve-schema.json' with { type: 'json' };

/** One parameter (or property-string sub-key) in PVE's JSON-schema dialect. */
export interface ParamSchema {
  type?: string;
  /** A named format (`pve-vmid`) or, for property strings, the sub-keys. */
  format?: string | Record<string, ParamSchema>;
  pattern?: string;
  enum?: string[];
  optional?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  default_key?: boolean;
  requires?: string;
  alias?: string;
}

/** A permission check as the schema spells it, e.g. `["perm", "/vms/{vmid}", ["VM.Audit"]]`. */
export type PermCheck = readonly unknown[];

/** The `permissions` member of an endpoint. */
export interface Permissions {
  check?: PermCheck;
  user?: string;
  description?: string;
}

/** One endpoint (path + method) of the schema. */
export interface EndpointSchema {
  path: string;
  method: string;
  name?: string;
  pathParameters: string[];
  parameters: Record<string, ParamSchema>;
  /** `false`: unknown parameters are rejected; `null`: the source does not say. */
  additionalParameters: boolean | null;
  permissions?: Permissions;
  proxyto?: string;
  protected?: boolean;
  allowtoken?: boolean;
}

/** A request path matched to its endpoint template. */
export interface PathMatch {
  /** The template, e.g. `/nodes/{node}/qemu/{vmid}/status/start`. */
  template: string;
  /** Path parameters, decoded. */
  pathParams: Record<string, string>;
  /** The endpoint for the request's method, if the template has one. */
  endpoint?: EndpointSchema;
}

/** Every endpoint the simulator serves. */
export const endpoints: readonly EndpointSchema[] = (schemaJson as unknown as { endpoints: EndpointSchema[] }).endpoints;

interface Template { template: string; segments: string[]; byMethod: Map<string, EndpointSchema> }

const templates: Template[] = [];
for (const e of endpoints) {
  let t = templates.find((x) => x.template === e.path);
  if (!t) {
    t = { template: e.path, segments: e.path.split('/').slice(1), byMethod: new Map() };
    templates.push(t);
  }
  t.byMethod.set(e.method, e);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Finds the template for an API path (relative to `/api2/json`); literal segments win over parameters. */
export function matchPath(method: string, apiPath: string): PathMatch | undefined {
  const parts = apiPath.replace(/\/+$/, '').split('/').slice(1);
  let best: { t: Template; params: Record<string, string>; literals: number } | undefined;
  for (const t of templates) {
    if (t.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    t.segments.forEach((seg, i) => {
      const raw = parts[i] ?? '';
      const value = decode(raw);
      if (!ok || value === undefined || raw === '') { ok = false; return; }
      if (seg.startsWith('{')) params[seg.slice(1, -1)] = value;
      else if (seg === value) literals++;
      else ok = false;
    });
    if (ok && (!best || literals > best.literals)) best = { t, params, literals };
  }
  if (!best) return undefined;
  return { template: best.t.template, pathParams: best.params, endpoint: best.t.byMethod.get(method) };
}
