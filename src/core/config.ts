/**
 * @module core/config
 * `$HOMELAB_CONFIG_HOME/homelab/config.yaml`: the service registry and the settings of
 * the bot, SSH targets and watch. The top level is validated here; each service
 * validates its own `services.<name>` section with its own schema (see `serviceConfig`),
 * so that adding a service never touches this file. Errors name the file, the key and
 * what is wrong.
 *
 * Unknown keys are refused wherever the keys are known (the top level, `contexts.*`, `ssh`,
 * `ssh.targets[]`, each service's section), naming a close known key (config-keys.ts).
 *
 * Several labs (`contexts:`): each context is a block with the same keys as the top level.
 * `services` and `ssh` belong to one lab (the top-level ones are the context `default`);
 * `telegram`, `watch`, `mcp` and `check` at the top level apply to every context, a context's own
 * block overriding them key by key (the bot is one bot serving every lab). `loadConfig`
 * returns the chosen context's view: the same shape as a config without contexts.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { readConfigDocument } from './config-document.js';
import { checkConfigPermissions } from './config-permissions.js';
import { checkContextName, CONTEXT_NAME, CONTEXT_NAME_RULE, contextChoice, DEFAULT_CONTEXT, unknownContext } from './context-name.js';
import { unknownKeys } from './config-keys.js';
import { ConfigError } from './errors.js';
import { configFile } from './paths.js';

const serviceShape = {
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  /** SHA-256 fingerprint of the server certificate, colon-separated hex. */
  fingerprint: z
    .string()
    .regex(/^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$/, 'must be a SHA-256 fingerprint like AB:CD:… (32 hex pairs)')
    .optional(),
  /** Per-request timeout in seconds. */
  timeout_seconds: z.number().positive().max(600).optional(),
};

/** A pinned fingerprint with an http:// URL would never be checked, and the token would go out in clear. */
function pinNeedsHttps(section: { url: string; fingerprint?: string }, ctx: z.RefinementCtx): void {
  if (section.fingerprint && !/^https:/i.test(section.url)) {
    ctx.addIssue({ code: 'custom', path: ['fingerprint'], message: 'fingerprint needs an https:// URL (over http:// the pin is never checked and credentials go out in clear)' });
  }
}

/**
 * Settings common to every HTTP service section; a pinned fingerprint needs an https:// URL.
 * Unknown keys are refused (a service `.extend`s it with its own keys), so a typo surfaces.
 */
export const baseServiceSchema = z.strictObject(serviceShape, { error: unknownKeys }).superRefine(pinNeedsHttps);

/** Services that serve their API over HTTPS only (Proxmox VE and Backup Server). */
export const HTTPS_ONLY_SERVICES: ReadonlySet<string> = new Set(['pve', 'pbs']);

/** The base section of an HTTPS-only service: its URL must be https://. */
export const httpsServiceSchema = z
  .strictObject({
    ...serviceShape,
    url: z.url({ protocol: /^https$/, error: 'must be an https:// URL (the API is served over HTTPS only; pin a self-signed certificate with fingerprint)' }),
  }, { error: unknownKeys })
  .superRefine(pinNeedsHttps);

/** The base schema of a service's section: `httpsServiceSchema` for HTTPS-only services. */
export function baseSchemaFor(service: string): typeof baseServiceSchema {
  return HTTPS_ONLY_SERVICES.has(service) ? httpsServiceSchema : baseServiceSchema;
}

/** Base settings of an HTTP service. */
export type BaseServiceConfig = z.infer<typeof baseServiceSchema>;

const sshTargetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a simple name'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).default('root'),
  key: z.string().min(1).optional(),
  /** PVE guest this target is, for `updates apply --snapshot`. */
  vmid: z.number().int().min(100).max(999999999).optional(),
}, { error: unknownKeys });

/** The keys of one lab: the top level of a config, or one context's block. */
const labShape = {
  services: z.record(z.string(), z.unknown()).default({}),
  ssh: z
    .strictObject({
      // Each target is found by its name: a second entry with a name already used is refused, naming both.
      targets: z.array(sshTargetSchema).superRefine((targets, ctx) => {
        targets.forEach((t, i) => {
          const first = targets.findIndex((o) => o.name === t.name);
          if (first < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${t.name} is already the name of ssh.targets.${first} (${targets[first]?.host}); each target needs its own name` });
        });
      }).default([]),
      known_hosts: z.string().optional(),
      concurrency: z.number().int().min(1).max(64).default(4),
      timeout_seconds: z.number().positive().default(60),
    }, { error: unknownKeys })
    .default({ targets: [], concurrency: 4, timeout_seconds: 60 }),
  telegram: z.record(z.string(), z.unknown()).optional(),
  watch: z.record(z.string(), z.unknown()).optional(),
  mcp: z.record(z.string(), z.unknown()).optional(),
  /** Settings of `homelab check` (validated by services/hub/check-config). */
  check: z.record(z.string(), z.unknown()).optional(),
};

/** One context's block under `contexts:`; unknown keys are refused as at the top level. */
export const contextBlockSchema = z.strictObject(labShape, { error: unknownKeys });

/** The whole config file. Unknown top-level keys are refused so typos surface. */
export const configSchema = z.strictObject({
  ...labShape,
  /** Several labs: name → a block with the same keys as the top level. */
  contexts: z
    .record(z.string(), contextBlockSchema)
    // Each bad key is named with the rule (a key schema would report only "Invalid key in record").
    .superRefine((contexts, ctx) => {
      for (const key of Object.keys(contexts)) if (!CONTEXT_NAME.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: CONTEXT_NAME_RULE });
    })
    .optional(),
  /** The context used when none is named (`homelab context use` writes it). */
  current_context: z.string().regex(CONTEXT_NAME, CONTEXT_NAME_RULE).optional(),
}, { error: unknownKeys });

/**
 * A validated config file, as one context sees it (the top level for `default`). `context`
 * is the context's name, `origin` the prefix of its keys in the file (`contexts.office.`,
 * for error messages) and `contextNames` every context the file defines; all are absent in configs built by hand (tests): `default`.
 */
export type HomelabConfig = z.infer<typeof configSchema> & { path: string; context?: string; origin?: string; contextNames?: string[] };

/** An SSH target from the config. */
export type SshTarget = z.infer<typeof sshTargetSchema>;

/** Formats zod issues as `file: key.path: message` lines. */
export function describeIssues(path: string, prefix: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path}: ${key || '(top level)'}: ${issue.message}`;
    })
    .join('\n');
}

/** Loads and validates the config file. A missing file is an empty config (nothing configured). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HomelabConfig {
  const path = configFile(env);
  const doc = readConfigDocument(path, env);
  if (doc.state === 'missing') return contextView({ ...configSchema.parse({}), path }, {}, env);
  if (doc.state === 'unreadable') throw new ConfigError(`cannot read ${path}: ${doc.error.message}`);
  // It decides where tokens are sent: refused when others may write it or its folder, as credentials others may read are.
  checkConfigPermissions(path, doc.stat);
  if (doc.state === 'invalid') throw new ConfigError(`${path}: not valid YAML: ${doc.error.message.split('\n')[0]}`);
  const raw = doc.raw ?? {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(path, '', parsed.error));
  return contextView({ ...parsed.data, path }, raw, env);
}

/** Keys that belong to one lab; the others are shared, a context's block overriding them key by key. */
const LAB_KEYS = new Set(['services', 'ssh']);

/** The context `env` names (HOMELAB_CONTEXT, else current_context, …) of a validated file. */
function contextView(whole: HomelabConfig, raw: unknown, env: NodeJS.ProcessEnv): HomelabConfig {
  const { names, current } = contextChoice(raw);
  const name = env.HOMELAB_CONTEXT ? checkContextName(env.HOMELAB_CONTEXT, 'HOMELAB_CONTEXT') : current;
  if (!names.includes(name)) throw unknownContext(name, whole.path, names);
  const top = (raw ?? {}) as Record<string, unknown>;
  if (whole.contexts?.[DEFAULT_CONTEXT] && (top.services != null || top.ssh != null)) {
    throw new ConfigError(`${whole.path}: contexts.default: the top-level services/ssh are already the context default`, 'move them under contexts.default, or rename that context');
  }
  const block = whole.contexts?.[name];
  if (!block) return { ...whole, context: name, origin: '', contextNames: names };
  const rawBlock = ((top.contexts as Record<string, Record<string, unknown>>)[name] ?? {});
  const view: Record<string, unknown> = { ...whole };
  for (const [key, value] of Object.entries(block)) {
    if (LAB_KEYS.has(key)) view[key] = value;
    else if (rawBlock[key] != null) view[key] = { ...((whole as Record<string, unknown>)[key] as object | undefined), ...(value as object) };
  }
  return { ...(view as HomelabConfig), context: name, origin: `contexts.${name}.`, contextNames: names };
}

/**
 * Validates one service's section of the config with that service's schema.
 * Throws a ConfigError naming the file and key when the section is absent or invalid.
 */
export function serviceConfig<S extends z.ZodType>(config: HomelabConfig, name: string, schema: S): z.infer<S> {
  const raw = config.services[name];
  if (raw === undefined || raw === null) {
    if (!existsSync(config.path)) {
      throw new ConfigError(`${name} is not configured: ${config.path} does not exist`, 'run homelab init, or write it by hand (see the README)');
    }
    const at = `${config.origin ?? ''}services.${name}`;
    throw new ConfigError(`${name} is not configured: ${config.path} has no ${at}${config.context && config.context !== DEFAULT_CONTEXT ? ` (context ${config.context})` : ''}`, `add ${at}: { url: … } to ${config.path}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, `${config.origin ?? ''}services.${name}`, parsed.error));
  return parsed.data;
}

/** Whether a service has a section in the config. */
export function isConfigured(config: HomelabConfig, name: string): boolean {
  return config.services[name] !== undefined && config.services[name] !== null;
}
