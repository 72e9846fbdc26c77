/**
 * @module services/setup/doctor/service-checks
 * All checks of one configured service, in order, each depending on the one before:
 * its config section (by the service's own schema, as its commands load it; for Telegram, the whole `telegram:` section by the bot's schema), its credentials file, TLS (https only), then its probe (answers,
 * version, what the credentials may do).
 */
import { baseSchemaFor, describeIssues, type HomelabConfig } from '../../../core/config.js';
import { ExitCode } from '../../../core/errors.js';
import { inspectCredentials } from '../credentials-check.js';
import { sectionSchemaOf } from '../section-schemas.js';
import type { ServiceSpec } from '../service-specs.js';
import { telegramConfigSchema } from '../../telegram/config.js';
import { check, failed, type DoctorCheck } from './check.js';
import { probes } from './probes/list.js';
import { tlsCheck, tlsTimeoutMs } from './tls-check.js';

/** The section of a service: `services.<key>`, or for telegram its top-level section with `api_root` as the URL. */
function sectionOf(config: HomelabConfig, spec: ServiceSpec): unknown {
  if (spec.key !== 'telegram') return config.services[spec.key];
  const root = typeof config.telegram?.api_root === 'string' ? config.telegram.api_root : spec.exampleUrl;
  return { url: root };
}

/**
 * The `telegram:` section judged by the schema the bot and `telegram` commands load it with
 * (a shared or unsafe id, a typo'd key): a failed config check (exit 3) with its first reason.
 */
function telegramSectionCheck(config: HomelabConfig): DoctorCheck | undefined {
  const parsed = telegramConfigSchema.safeParse(config.telegram ?? {});
  if (parsed.success) return undefined;
  return check('telegram', 'config', 'fail', describeIssues(config.path, 'telegram', parsed.error).split('\n')[0] ?? 'refused', `fix telegram in ${config.path}`, ExitCode.config);
}

/** Runs the checks of one service. */
export async function serviceChecks(config: HomelabConfig, spec: ServiceSpec, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<DoctorCheck[]> {
  const area = spec.key;
  const refused = spec.key === 'telegram' ? telegramSectionCheck(config) : undefined;
  if (refused) return [refused];
  // The section as the service's commands load it (its own keys, unknown keys refused); Telegram's URL is api_root.
  const schema = spec.key === 'telegram' ? baseSchemaFor(spec.key) : await sectionSchemaOf(spec.key);
  const at = `${config.origin ?? ''}services.${spec.key}`;
  const parsed = schema.safeParse(sectionOf(config, spec));
  if (!parsed.success) return [check(area, 'config', 'fail', describeIssues(config.path, at, parsed.error), `fix ${at} in ${config.path}`, ExitCode.config)];
  const section = parsed.data;
  const out: DoctorCheck[] = [];
  const creds = inspectCredentials(spec, env);
  if (creds.state !== 'ok') {
    out.push(check(area, 'credentials', 'fail', creds.problem ?? 'unusable', creds.fix, ExitCode.config));
    out.push(check(area, 'answers', 'skip', 'not tried: fix the credentials first'));
    return out;
  }
  out.push(check(area, 'credentials', 'pass', `${creds.path} (mode ${creds.mode}, ${Object.keys(creds.values).length} key${Object.keys(creds.values).length === 1 ? '' : 's'})`));
  const tls = await tlsCheck(area, spec.key, section.url, section.fingerprint, tlsTimeoutMs(section));
  if (tls) out.push(tls);
  if (tls?.status === 'fail') {
    out.push(check(area, 'answers', 'skip', 'not tried: credentials are only sent over a verified connection'));
    return out;
  }
  const probe = probes[spec.key];
  if (!probe) return out;
  try {
    out.push(...(await probe({ section, credentials: creds.values, credentialsPath: creds.path, signal })));
  } catch (err) {
    out.push(failed(area, 'answers', err));
  }
  return out;
}
