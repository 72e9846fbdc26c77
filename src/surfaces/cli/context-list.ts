/**
 * @module surfaces/cli/context-list
 * What `homelab context list` says of one context (lab): its configured services, whether
 * each answers, and whether the lab can be used at all. A lab can be used when its config
 * is valid, each configured service's section passes its base schema (URL, pinned
 * fingerprint) and each one's credentials file exists, is 0600 and has its keys: the checks
 * `doctor` starts with, without any request. "Answers" is a TCP connection for http:// and a
 * completed TLS handshake for https://, within a few seconds: a port that accepts but never
 * speaks TLS is down. Services down are data; a lab that cannot be used is an error (exit 3,
 * docs/exit-codes.md).
 */
import { baseSchemaFor, describeIssues, isConfigured, loadConfig } from '../../core/config.js';
import { checkContextName, withContext } from '../../core/context-name.js';
import { ConfigError, ExitCode, toHomelabError } from '../../core/errors.js';
import { answers } from '../../core/http/answers.js';
import { redact } from '../../core/redact.js';
import { inspectCredentials } from '../../services/general/credentials-check.js';
import { serviceSpecs } from '../../services/general/service-specs.js';

/** One service of a context, as `context list` shows it. */
export interface ContextService {
  service: string;
  url: string | null;
  /** `up` (answers on its port: connects, and for https completes a TLS handshake) or `down`. */
  status: 'up' | 'down';
  /** Why it is down, else null. */
  detail: string | null;
}

/** One context of `context list --json`. */
export interface ContextEntry {
  name: string;
  current: boolean;
  services: ContextService[];
  /** Why the context cannot be used (its config or credentials), else null. */
  error: { message: string; exitCode: number } | null;
}

/** The first line of each problem, joined: a table cell and a one-line error. */
const oneLine = (problems: readonly string[]): string => problems.map((p) => p.split('\n')[0]).join('; ');

/**
 * `name`'s services and whether it can be used, in the lab `env` names as `name`
 * (`configPath`: the file defining it, to name in errors). Never throws.
 */
export async function describeContext(name: string, env: NodeJS.ProcessEnv, current: string, configPath: string): Promise<ContextEntry> {
  const entry = { name, current: name === current };
  try {
    checkContextName(name, `a contexts key in ${configPath}`);
    const labEnv = withContext(env, name);
    const config = loadConfig(labEnv);
    const problems: string[] = [];
    const services = await Promise.all(serviceSpecs.filter((spec) => spec.key !== 'telegram' && isConfigured(config, spec.key)).map(async (spec): Promise<ContextService> => {
      const at = `${config.origin ?? ''}services.${spec.key}`;
      const section = baseSchemaFor(spec.key).loose().safeParse(config.services[spec.key]);
      if (!section.success) problems.push(describeIssues(config.path, at, section.error));
      const creds = inspectCredentials(spec, labEnv);
      if (creds.state !== 'ok') problems.push(`${spec.key}: ${creds.problem ?? creds.state}`);
      if (!section.success) return { service: spec.key, url: null, status: 'down', detail: `invalid ${at}` };
      const answer = await answers(section.data.url);
      return { service: spec.key, url: section.data.url, status: answer.up ? 'up' : 'down', detail: answer.detail };
    }));
    const error = problems.length ? new ConfigError(oneLine(problems)) : undefined;
    return { ...entry, services, error: error ? { message: redact(error.message), exitCode: error.exitCode } : null };
  } catch (err) {
    const e = toHomelabError(err);
    return { ...entry, services: [], error: { message: redact(oneLine([e.message])), exitCode: e.exitCode || ExitCode.failed } };
  }
}
