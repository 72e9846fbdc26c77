/**
 * @module core/config
 * `$HOMELAB_CONFIG_HOME/homelab/config.yaml`: the service registry and the settings of
 * the bot, SSH targets and watch. The top level is validated here; each service
 * validates its own `services.<name>` section with its own schema (see `serviceConfig`),
 * so that adding a service never touches this file. Errors name the file, the key and
 * what is wrong.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
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

/** Settings common to every HTTP service section; a pinned fingerprint needs an https:// URL. */
export const baseServiceSchema = z.object(serviceShape).superRefine(pinNeedsHttps);

/** Services that serve their API over HTTPS only (Proxmox VE and Backup Server). */
export const HTTPS_ONLY_SERVICES: ReadonlySet<string> = new Set(['pve', 'pbs']);

/** The base section of an HTTPS-only service: its URL must be https://. */
export const httpsServiceSchema = z
  .object({
    ...serviceShape,
    url: z.url({ protocol: /^https$/, error: 'must be an https:// URL (the API is served over HTTPS only; pin a self-signed certificate with fingerprint)' }),
  })
  .superRefine(pinNeedsHttps);

/** The base schema of a service's section: `httpsServiceSchema` for HTTPS-only services. */
export function baseSchemaFor(service: string): typeof baseServiceSchema {
  return HTTPS_ONLY_SERVICES.has(service) ? httpsServiceSchema : baseServiceSchema;
}

/** Base settings of an HTTP service. */
export type BaseServiceConfig = z.infer<typeof baseServiceSchema>;

const sshTargetSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a simple name'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).default('root'),
  key: z.string().min(1).optional(),
  /** PVE guest this target is, for `updates apply --snapshot`. */
  vmid: z.number().int().min(100).max(999999999).optional(),
});

/** The whole config file. Unknown top-level keys are refused so typos surface. */
export const configSchema = z.strictObject({
  services: z.record(z.string(), z.unknown()).default({}),
  ssh: z
    .object({
      targets: z.array(sshTargetSchema).default([]),
      known_hosts: z.string().optional(),
      concurrency: z.number().int().min(1).max(64).default(4),
      timeout_seconds: z.number().positive().default(60),
    })
    .default({ targets: [], concurrency: 4, timeout_seconds: 60 }),
  telegram: z.record(z.string(), z.unknown()).optional(),
  watch: z.record(z.string(), z.unknown()).optional(),
  mcp: z.record(z.string(), z.unknown()).optional(),
});

/** A validated config file. */
export type HomelabConfig = z.infer<typeof configSchema> & { path: string };

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...configSchema.parse({}), path };
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  // It decides where tokens are sent: refused when others may write it, as credentials others may read are.
  const mode = statSync(path).mode;
  if (mode & 0o002) throw new ConfigError(`config file ${path} is writable by others (mode ${(mode & 0o777).toString(8)}): it decides where credentials are sent`, `run: chmod o-w ${path}`);
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(path, '', parsed.error));
  return { ...parsed.data, path };
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
    throw new ConfigError(`${name} is not configured: ${config.path} has no services.${name}`, `add services.${name}: { url: … } to ${config.path}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, `services.${name}`, parsed.error));
  return parsed.data;
}

/** Whether a service has a section in the config. */
export function isConfigured(config: HomelabConfig, name: string): boolean {
  return config.services[name] !== undefined && config.services[name] !== null;
}
