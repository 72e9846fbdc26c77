/**
 * @module surfaces/cli/context-list
 * What `homelab context list` says of one context (lab): its configured services, whether
 * each answers, and what keeps the lab or one of its services from being used. Each
 * service is judged on its own, without any request: its section passes the schema its
 * service loads it with (URL, pinned fingerprint, its own keys, no unknown key) and its credentials file exists, is 0600 and has its keys (the
 * checks `doctor` starts with). A service with such a problem shows it; the lab's other
 * services still show whether they answer. A lab whose config cannot be loaded, or whose
 * name is not one, has one lab-wide error. "Answers" is a TCP connection for http:// and a
 * completed TLS handshake for https://, within a few seconds: a port that accepts but never
 * speaks TLS is down. Services down are data; a problem is a config error (exit 3,
 * docs/exit-codes.md).
 */
import { describeIssues, isConfigured, loadConfig } from '../../core/config.js';
import { checkContextName, withContext } from '../../core/context-name.js';
import { ExitCode, toHomelabError } from '../../core/errors.js';
import { answers } from '../../core/http/answers.js';
import { redact } from '../../core/redact.js';
import { inspectCredentials } from '../../services/setup/credentials-check.js';
import { sectionSchemaOf } from '../../services/setup/section-schemas.js';
import { serviceSpecs } from '../../services/setup/service-specs.js';

/** Why a service (or a lab) cannot be used, and how to fix it when that is known. */
export interface ContextProblem {
  message: string;
  fix: string | null;
}

/** One service of a context, as `context list` shows it. */
export interface ContextService {
  service: string;
  url: string | null;
  /** `up` (answers on its port: connects, and for https completes a TLS handshake) or `down`. */
  status: 'up' | 'down';
  /** Why it is down, else null. */
  detail: string | null;
  /** Why it cannot be used (its section or its credentials file), else null: a config error (exit 3). */
  problem: ContextProblem | null;
}

/** One context of `context list --json`. */
export interface ContextEntry {
  name: string;
  /** Whether commands run in it now (`--context`, HOMELAB_CONTEXT, `current_context`). */
  current: boolean;
  /** False only for a current context the config does not define (listed so that it shows, with its fix). */
  defined: boolean;
  services: ContextService[];
  /** Why the whole lab cannot be used (its config, its name), else null; a service's own problem is on the service. */
  error: { message: string; exitCode: number } | null;
}

/** The first line of each problem, joined: a table cell and a one-line error. */
const oneLine = (problems: readonly string[]): string => problems.map((p) => p.split('\n')[0]).join('; ');

/**
 * `name`'s services and whether it can be used, in the lab `env` names as `name`
 * (`configPath`: the file defining it, to name in errors). Never throws.
 */
export async function describeContext(name: string, env: NodeJS.ProcessEnv, current: string, configPath: string): Promise<ContextEntry> {
  const entry = { name, current: name === current, defined: true };
  try {
    checkContextName(name, `a contexts key in ${configPath}`);
    const labEnv = withContext(env, name);
    const config = loadConfig(labEnv);
    const services = await Promise.all(serviceSpecs.filter((spec) => spec.key !== 'telegram' && isConfigured(config, spec.key)).map(async (spec): Promise<ContextService> => {
      const at = `${config.origin ?? ''}services.${spec.key}`;
      const section = (await sectionSchemaOf(spec.key)).safeParse(config.services[spec.key]);
      const creds = inspectCredentials(spec, labEnv);
      const problems = [...(section.success ? [] : [describeIssues(config.path, at, section.error)]), ...(creds.state === 'ok' ? [] : [creds.problem ?? creds.state])];
      const fixes = [...(section.success ? [] : [`fix ${at} in ${config.path}`]), ...(creds.state === 'ok' || !creds.fix ? [] : [creds.fix])];
      const problem = problems.length ? { message: redact(oneLine(problems)), fix: fixes.length ? redact(fixes.join('; ')) : null } : null;
      if (!section.success) return { service: spec.key, url: null, status: 'down', detail: `invalid ${at}`, problem };
      const answer = await answers(section.data.url);
      return { service: spec.key, url: section.data.url, status: answer.up ? 'up' : 'down', detail: answer.detail, problem };
    }));
    return { ...entry, services, error: null };
  } catch (err) {
    const e = toHomelabError(err);
    return { ...entry, services: [], error: { message: redact(oneLine([e.message])), exitCode: e.exitCode || ExitCode.failed } };
  }
}
