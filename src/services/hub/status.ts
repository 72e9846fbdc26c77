/**
 * @module services/hub/status
 * `homelab status` (and the bot's `/status`): every configured service at once, each
 * with its own time limit, one line each — reachability and a headline (guests
 * running, backup health, DNS queries, proxy hosts online, systems and monitors down,
 * updates pending). A service that is down is one red line; the rest still show, and
 * the exit status says it (docs/exit-codes.md): 4 when one was unreachable or timed out.
 * A service that answered with a part failed (an updates target not reached) is failed
 * too: `failed` in the table, counted alike by the summary line and the stderr line.
 * The services' read operations are reached through `ctx.invoke` only.
 */
import { z } from 'zod';
import { isConfigured } from '../../core/config.js';
import { settleParts } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { commandText, table, text, toned } from '../../core/render.js';
import { headlineSources } from './headlines/sources.js';
import { fetchHeadline, type ServiceStatus } from './status-fetch.js';

/** JSON shape of `status`. */
export interface StatusResult {
  /** Unix time of the check. */
  checkedAt: number;
  services: ServiceStatus[];
  /** Services in config.yaml that status has no headline for. */
  unknown: string[];
}

/** The services that failed: down, or answering with a part failed (their `error` is set). */
export function failedServices(services: readonly ServiceStatus[]): ServiceStatus[] {
  return services.filter((s) => s.error !== null);
}

/** Names as the stderr line lists them (settleParts): six, then how many more. */
function shownNames(names: readonly string[]): string {
  return names.length > 6 ? `${names.slice(0, 6).join(', ')}, +${names.length - 6} more` : names.join(', ');
}

/** The state a person reads: `failed` for a service that answered with a part failed. */
function shownState(s: ServiceStatus): string {
  return s.state === 'up' && s.error ? 'failed' : s.state;
}

/** `status`. */
export const statusOperation = defineOperation({
  id: 'status',
  summary: 'Everything at a glance: each configured service, reachable or not, and its headline',
  input: z.object({
    timeout: z.number({ error: 'timeout must be from 1 to 300 seconds' }).min(1).max(300).default(15).describe('seconds each service may take, 1 to 300'),
  }),
  risk: 'read',
  examples: ['status', 'status --json', 'status --timeout 5'],
  async run(ctx, input): Promise<StatusResult> {
    const config = ctx.config;
    const sources = headlineSources.filter((s) => (s.configured ? s.configured(config) : isConfigured(config, s.service)));
    const services = await Promise.all(sources.map((s) => fetchHeadline(ctx, s, input.timeout * 1000)));
    const known = new Set(headlineSources.map((s) => s.service));
    const result = { checkedAt: Math.floor(Date.now() / 1000), services, unknown: Object.keys(config.services).filter((k) => !known.has(k)) };
    const failures = failedServices(services).map((s) => ({ part: s.service, exitCode: s.error?.exitCode ?? 1 }));
    return settleParts('status', result, services.length, 'services', failures);
  },
  render: (r) => {
    const failed = failedServices(r.services);
    const blocks = [
      table(['service', 'state', 'headline', 'time>'], r.services.map((s) => [
        s.service,
        toned(shownState(s), s.error ? 'bad' : s.state === 'up' ? 'ok' : 'dim'),
        toned(s.headline, s.tone),
        s.state === 'skipped' ? '' : `${(s.ms / 1000).toFixed(1)} s`,
      ]), { empty: 'no services configured: run homelab init, or see homelab services' }),
    ];
    // A hint is homelab's own text naming its commands (see: homelab updates check): a surface says them its own way.
    for (const s of r.services) if (s.error?.hint) blocks.push(commandText(`${s.service}: ${s.error.hint}`, 'dim'));
    if (r.unknown.length) blocks.push(text(`no status for: ${r.unknown.join(', ')}`, 'dim'));
    // The same count and names as the exit's stderr line (settleParts): the two never disagree.
    if (r.services.length) {
      blocks.push(failed.length
        ? text(`${failed.length} of ${r.services.length} services failed (${shownNames(failed.map((s) => s.service))})`, 'bad')
        : text(`all ${r.services.length} services answered`, 'ok'));
    }
    return blocks;
  },
});
