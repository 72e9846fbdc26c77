/**
 * @module services/hub/lab-file
 * `lab.yaml`: the lab as a file, the desired state `homelab plan` and `homelab apply` work
 * from. Two sections: `apps:` (a map of app name → the fields `homelab expose` takes, the
 * two-word ones in snake_case: `block_exploits`, `force_ssl`, `monitor_url`) and
 * `records:` (extra DNS records homelab manages: name, type, value, ttl). Default path
 * `$HOMELAB_CONFIG_HOME/homelab/lab.yaml` (`~/.config/homelab/lab.yaml`); a context other
 * than `default` has its own, `homelab/contexts/<name>/lab.yaml`.
 *
 * A file that cannot be read or does not fit is a ConfigError (exit 3, as a bad config.yaml
 * is) in one line naming the file, the line and the key:
 * `lab.yaml:7: apps.wiki.target: must be <guest>:<port>, …`. Only the CLI reads a path it is
 * given; the bot and MCP read the hub's own lab.yaml (a chat user or an agent never makes
 * the hub read one of its files).
 */
import { readFileSync, statSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { Actor } from '../../core/operation.js';
import { DEFAULT_CONTEXT } from '../../core/context-name.js';
import { configHome, expandHome } from '../../core/paths.js';
import { isHostname } from '../../core/validate.js';
import { appSpecFields, type AppSpec } from './expose-plan.js';
import { MONITOR_URL_WITHOUT_MONITOR } from './expose-spec.js';
import { isHostName } from './expose-target.js';

/** The DNS record types lab.yaml can declare. */
export const LAB_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

/** A record type lab.yaml can declare. */
export type LabRecordType = (typeof LAB_RECORD_TYPES)[number];

/** Largest lab.yaml read. */
const MAX_BYTES = 1024 * 1024;

/** Most aliases a lab.yaml may expand (the yaml library's default): an alias bomb is refused. */
const MAX_ALIASES = 100;

/** A record name: labels of letters, digits and inner hyphens, a leading `_` allowed per label (`_dmarc`, `_acme-challenge.www`). */
function isRecordName(name: string): boolean {
  const n = name.replace(/\.$/, '');
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => /^_?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}

const APP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An app of lab.yaml: the fields of `homelab expose`, the two-word ones in the config's snake_case. */
const appSchema = z.strictObject({
  target: appSpecFields.target,
  dns: appSpecFields.dns,
  scheme: appSpecFields.scheme,
  websockets: appSpecFields.websockets,
  cert: appSpecFields.cert,
  monitor: appSpecFields.monitor,
  block_exploits: appSpecFields.blockExploits,
  force_ssl: appSpecFields.forceSsl,
  monitor_url: appSpecFields.monitorUrl,
}).superRefine((app, issue) => {
  if (!app.monitor && app.monitor_url !== undefined) issue.addIssue({ code: 'custom', path: ['monitor_url'], message: MONITOR_URL_WITHOUT_MONITOR });
}).transform(({ block_exploits: blockExploits, force_ssl: forceSsl, monitor_url: monitorUrl, ...rest }) => ({
  ...rest, blockExploits, forceSsl, ...(monitorUrl !== undefined ? { monitorUrl } : {}),
}));

const recordSchema = z.strictObject({
  name: z.string({ error: 'must be a name: a label (nas), @ for the zone itself, or a name in the zone' }).trim().toLowerCase()
    .refine((v) => v === '@' || isRecordName(v), 'must be a name: a label (nas), @ for the zone itself, or a name in the zone'),
  type: z.string({ error: 'must be A, AAAA, CNAME or TXT' }).trim().toUpperCase()
    .pipe(z.enum(LAB_RECORD_TYPES, { error: 'must be A, AAAA, CNAME or TXT' })),
  value: z.string({ error: 'must be a string (quote it)' }).min(1, 'must not be empty').max(4000),
  ttl: z.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(0).max(2_147_483_647).optional(),
}).superRefine((r, issue) => {
  const bad = (message: string): void => issue.addIssue({ code: 'custom', path: ['value'], message });
  if (r.type === 'A' && !isIPv4(r.value)) bad('an A record needs an IPv4 address');
  if (r.type === 'AAAA' && !isIPv6(r.value)) bad('an AAAA record needs an IPv6 address');
  if (r.type === 'CNAME' && !isHostName(r.value)) bad('a CNAME needs a host name (relative to the zone unless it has a dot)');
  if (r.type !== 'TXT' && r.name !== '@' && !isHostname(r.name)) issue.addIssue({ code: 'custom', path: ['name'], message: `${r.type} records need a host name: letters, digits and inner hyphens (a leading _ is for TXT records)` });
  if (r.type === 'CNAME' && r.name === '@') issue.addIssue({ code: 'custom', path: ['name'], message: 'the zone itself (@) cannot be a CNAME' });
});

/**
 * The schema of lab.yaml in `zone`. Record names are compared fully qualified (`pad`,
 * `pad.home.lan` and `pad.home.lan.` are one name), so a record written either way at an
 * app's name, or beside a CNAME, is refused.
 */
function labSchemaFor(zone: string) {
  return z.strictObject({
    apps: z.record(z.string(), appSchema, { error: 'must be a map of app name → its fields' }).nullish(),
    records: z.array(recordSchema, { error: 'must be a list of records (name, type, value, ttl)' }).nullish(),
  }, { error: 'must be a map with apps: and records:' }).superRefine((lab, issue) => {
    for (const name of Object.keys(lab.apps ?? {})) {
      if (!APP.test(name)) issue.addIssue({ code: 'custom', path: ['apps', name], message: 'an app name is one DNS label in lower case: letters, digits and inner hyphens (e.g. wiki)' });
    }
    const appNames = new Map(Object.keys(lab.apps ?? {}).map((app) => [`${app}.${zone}`, app]));
    const seen = new Map<string, number>();
    (lab.records ?? []).forEach((r, i) => {
      const fqdn = qualifyName(r.name, zone);
      const app = appNames.get(fqdn);
      if (app !== undefined) issue.addIssue({ code: 'custom', path: ['records', i, 'name'], message: `${r.name} is ${app === r.name ? 'an app' : `the name of app ${app}`} in apps: the app owns the records at its name` });
      const key = `${fqdn} ${r.type} ${r.type === 'CNAME' ? qualifyName(r.value, zone) : r.type === 'A' || r.type === 'AAAA' ? r.value.toLowerCase() : r.value}`;
      if (seen.has(key)) issue.addIssue({ code: 'custom', path: ['records', i], message: `the same record as records[${seen.get(key)}]` });
      seen.set(key, i);
    });
    const byName = new Map<string, { name: string; type: string; i: number }[]>();
    (lab.records ?? []).forEach((r, i) => {
      const fqdn = qualifyName(r.name, zone);
      byName.set(fqdn, [...(byName.get(fqdn) ?? []), { name: r.name, type: r.type, i }]);
    });
    for (const list of byName.values()) {
      const cname = list.find((r) => r.type === 'CNAME');
      const other = cname && list.find((r) => r !== cname);
      if (cname && other) issue.addIssue({ code: 'custom', path: ['records', other.i, 'name'], message: `${cname.name} has a CNAME (records[${cname.i}]): a name with a CNAME can have no other record` });
    }
  });
}

/** One record of lab.yaml, its name made fully qualified. */
export interface LabRecord {
  /** As written: `nas`, `@`, `nas.home.lan`. */
  name: string;
  fqdn: string;
  type: LabRecordType;
  /** An address, a fully qualified CNAME target, or the text. */
  value: string;
  /** Absent: any TTL will do (a new record gets the server's default). */
  ttl?: number;
}

/** A validated lab.yaml. */
export interface LabFile {
  /** The path it was read from (as shown in messages). */
  path: string;
  apps: AppSpec[];
  records: LabRecord[];
}

/** `name` relative to `zone` made fully qualified (`nas` → `nas.home.lan`, `@` → the zone); names with a dot stay. */
export function qualifyName(name: string, zone: string): string {
  const n = name.replace(/\.$/, '').toLowerCase();
  return n === '@' ? zone : n.includes('.') ? n : `${n}.${zone}`;
}

/**
 * The path of the lab file: the one given (`~/` expanded), else the context's own:
 * `$HOMELAB_CONFIG_HOME/homelab/lab.yaml` for `default`, `…/homelab/contexts/<name>/lab.yaml`
 * for another context (beside its credentials).
 */
export function labFilePath(env: NodeJS.ProcessEnv, given?: string, context = DEFAULT_CONTEXT): string {
  if (given) return resolve(expandHome(given));
  return context === DEFAULT_CONTEXT ? join(configHome(env), 'homelab', 'lab.yaml') : join(configHome(env), 'homelab', 'contexts', context, 'lab.yaml');
}

/**
 * Which lab file a surface may read: any path on the CLI; elsewhere only the hub's own
 * lab.yaml of the run's context (a UsageError when a path is given).
 */
export function labFileFor(surface: Actor['surface'], env: NodeJS.ProcessEnv, given?: string, context?: string): string {
  if (given && surface !== 'cli') {
    throw new UsageError(`a lab file path is read only on the command line; on ${surface} this reads the hub's lab.yaml (${labFilePath(env, undefined, context)})`, 'leave out the file');
  }
  return labFilePath(env, given, context);
}

/** Reads and validates the lab file at `path` against `zone` (a ConfigError in one line when it cannot). */
export function readLabFile(path: string, zone: string, shown = path): LabFile {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(`${shown} is not a regular file`);
    if (st.size > MAX_BYTES) throw new ConfigError(`${shown} is larger than ${MAX_BYTES / 1024} KiB`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') throw new ConfigError(`no lab file at ${shown}`, `homelab export ${shown} writes a starting one from the live lab`);
    throw new ConfigError(`cannot read ${shown} (${code})`);
  }
  return parseLab(text, zone, shown);
}

/** Parses lab.yaml text; `source` names it in messages. A ConfigError (one line: file, line, key) when it does not fit. */
export function parseLab(text: string, zone: string, source: string): LabFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new ConfigError(`${source}${line ? `:${line}` : ''}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (err) {
    // An alias bomb (aliases of aliases, expanding to millions of nodes) is refused while it is read.
    throw new ConfigError(`${source}: not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const parsed = labSchemaFor(zone).safeParse(data);
  if (!parsed.success) throw new ConfigError(describeLabIssues(parsed.error, doc.contents, lines, source));
  const apps = Object.entries(parsed.data.apps ?? {})
    .map(([name, app]): AppSpec => ({ name, ...app }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const records: LabRecord[] = [];
  for (const [i, r] of (parsed.data.records ?? []).entries()) {
    const fqdn = qualifyName(r.name, zone);
    if (fqdn !== zone && !fqdn.endsWith(`.${zone}`)) {
      throw new ConfigError(`${source}:${lineOf(doc.contents, lines, ['records', i, 'name'])}: records[${i}].name: ${fqdn} is not in the zone ${zone} (services.dns.zone)`);
    }
    const value = r.type === 'CNAME' ? qualifyName(r.value, zone) : r.type === 'TXT' ? r.value : r.value.toLowerCase();
    records.push({ name: r.name, fqdn, type: r.type, value, ...(r.ttl !== undefined ? { ttl: r.ttl } : {}) });
  }
  return { path: source, apps, records };
}

const KNOWN_KEYS = {
  top: 'lab.yaml has apps: and records:',
  app: 'an app has target, dns, scheme, websockets, cert, monitor, block_exploits, force_ssl and monitor_url',
  record: 'a record has name, type, value and ttl',
} as const;

/** A key path as people read it: `apps.wiki.target`, `records[2].name`. */
function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(top level)';
}

/** The 1-based line of the node at `path` (a map entry's key line), or of the deepest part of it that exists. */
function lineOf(root: unknown, lines: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = root;
  let at = (node as Node | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      at = (pair.key as Node).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      at = item.range?.[0] ?? at;
      node = item;
    } else break;
  }
  return lines.linePos(at).line;
}

/** The first zod issue as one line (`file:line: key: message`), counting the others. */
function describeLabIssues(error: z.ZodError, root: unknown, lines: LineCounter, source: string): string {
  const [first, ...rest] = error.issues;
  if (!first) return `${source}: not a valid lab file`;
  const path = first.code === 'unrecognized_keys' && first.keys[0] ? [...first.path, first.keys[0]] : first.path;
  const message = first.code === 'unrecognized_keys' ? `unknown key: ${KNOWN_KEYS[first.path[0] === 'apps' ? 'app' : first.path[0] === 'records' ? 'record' : 'top']}` : first.message;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  return `${source}:${lineOf(root, lines, path)}: ${keyPath(path)}: ${message}${more}`;
}
