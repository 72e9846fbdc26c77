/**
 * @module services/hub/expose-command
 * The `homelab expose …` command line for given fields, each value one shell word
 * (core/shell-word): what a plan's re-run prints when a step's outcome is unknown (the input
 * as given, every option kept), and what check's fixes for an exposed app print (its options
 * as they are). An option at its default is left out.
 */
import { shellWord } from '../../core/shell-word.js';
import type { AppSpec } from './expose-spec.js';
import { hostPort } from './expose-plan.js';

/** The fields written: those left undefined are not written (expose's default applies). */
export interface ExposeWords {
  name: string;
  /** `host:port` (an IPv6 address in brackets); null writes the placeholder `<host:port>`. */
  target: string | null;
  dns?: string | undefined;
  scheme?: string | undefined;
  websockets?: boolean | undefined;
  /** Written as given (`auto` too: a fix may need to say it). */
  cert?: string | number | undefined;
  forceSsl?: boolean | undefined;
  blockExploits?: boolean | undefined;
  monitor?: boolean | undefined;
  monitorUrl?: string | undefined;
}

/** `homelab expose <name> <target> [options]`. */
export function exposeCommand(w: ExposeWords): string {
  const parts = ['homelab expose', shellWord(w.name), w.target === null ? '<host:port>' : shellWord(w.target)];
  if (w.dns !== undefined) parts.push('--dns', shellWord(w.dns));
  if (w.scheme === 'https') parts.push('--scheme', 'https');
  if (w.websockets) parts.push('--websockets');
  if (w.cert !== undefined) parts.push('--cert', shellWord(String(w.cert)));
  if (w.forceSsl === false) parts.push('--no-force-ssl');
  if (w.blockExploits === false) parts.push('--no-block-exploits');
  if (w.monitor === false) parts.push('--no-monitor');
  else if (w.monitorUrl !== undefined) parts.push('--monitor-url', shellWord(w.monitorUrl));
  return parts.join(' ');
}

/** The command that runs `expose` again with `spec` as it was given (its options at their defaults left out). */
export function exposeRerun(spec: AppSpec): string {
  return exposeCommand({
    name: spec.name, target: hostPort({ host: spec.target.where, port: spec.target.port }), dns: spec.dns, scheme: spec.scheme,
    websockets: spec.websockets, cert: spec.cert === 'auto' ? undefined : spec.cert, forceSsl: spec.forceSsl, blockExploits: spec.blockExploits,
    monitor: spec.monitor, monitorUrl: spec.monitorUrl,
  });
}
