/**
 * @module services/hub/lab-file
 * `lab.yaml`: the lab as a file, the desired state `homelab plan` and `homelab apply` work
 * from. Two sections: `apps:` (a map of app name → the fields `homelab expose` takes, the
 * two-word ones in snake_case: `block_exploits`, `force_ssl`, `monitor_url`) and
 * `records:` (extra DNS records homelab manages: name, type, value, ttl). Default path
 * `$HOMELAB_CONFIG_HOME/homelab/lab.yaml` (`~/.config/homelab/lab.yaml`); a context other
 * than `default` has its own, `homelab/contexts/<name>/lab.yaml`.
 *
 * A file with neither `apps:` nor `records:` (empty, or only comments, as a failed
 * `export - > lab.yaml` leaves one) is refused: "delete everything" is said with `apps: {}`.
 * A file that cannot be read or does not fit is a ConfigError (exit 3, as a bad config.yaml
 * is) in one line naming the file, the line and the key:
 * `lab.yaml:7: apps.wiki.target: must be <guest>:<port>, …`. Only the CLI reads a path it is
 * given; the bot and MCP read the hub's own lab.yaml (a chat user or an agent never makes
 * the hub read one of its files).
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { Actor } from '../../core/operation.js';
import { DEFAULT_CONTEXT } from '../../core/context-name.js';
import { configHome, expandHome } from '../../core/paths.js';
import type { AppSpec } from './expose-spec.js';
import { labSchemaFor, qualifyName, type LabRecordType, writtenAddress } from './lab-schema.js';

/** The record types and name rule of lab.yaml, defined with its schema (lab-schema). */
export { LAB_RECORD_TYPES, qualifyName, type LabRecordType } from './lab-schema.js';

/** Largest lab.yaml read. */
const MAX_BYTES = 1024 * 1024;

/** Most aliases a lab.yaml may expand (the yaml library's default): an alias bomb is refused. */
const MAX_ALIASES = 100;

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
  /** The line of each app's keys (`wiki.target`), for a problem found while planning: `lab.yaml:7: apps.wiki.target: …`. */
  lines: Record<string, number>;
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

/**
 * Reads and validates the lab file at `path` against `zone` (a ConfigError in one line when it
 * cannot). A missing file's hint fits the `surface`: the command line writes one with
 * `homelab export <path>`; elsewhere `export` only gives the text (it never writes a file).
 */
export function readLabFile(path: string, zone: string, shown = path, surface: Actor['surface'] = 'cli'): LabFile {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(`${shown} is not a regular file`);
    if (st.size > MAX_BYTES) throw new ConfigError(`${shown} is larger than ${MAX_BYTES / 1024} KiB`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') {
      throw new ConfigError(`no lab file at ${shown}`, surface === 'cli' ? `homelab export ${shown} writes a starting one from the live lab`
        : `homelab export gives a starting one from the live lab; the hub's owner saves it as ${shown}`);
    }
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
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // An alias bomb (aliases of aliases, expanding to millions of nodes) is refused while it is read.
    throw new ConfigError(`${source}: not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  // An empty file (an `export - > lab.yaml` that failed leaves one) would plan every object homelab made away.
  if (data === null || data === undefined || (typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0)) {
    throw new ConfigError(`${source}: ${data === null || data === undefined ? 'holds no lab (it is empty or only comments)' : 'has neither apps: nor records:'}`,
      'homelab export writes a lab file from the live lab; to delete every object homelab made, write apps: {} and records: [] yourself');
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
    const value = r.type === 'CNAME' ? qualifyName(r.value, zone) : r.type === 'TXT' ? r.value : writtenAddress(r.value);
    records.push({ name: r.name, fqdn, type: r.type, value, ...(r.ttl !== undefined ? { ttl: r.ttl } : {}) });
  }
  const at: Record<string, number> = {};
  for (const app of apps) for (const key of ['target', 'cert', 'monitor_url']) at[`${app.name}.${key}`] = lineOf(doc.contents, lines, ['apps', app.name, key]);
  return { path: source, apps, records, lines: at };
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
