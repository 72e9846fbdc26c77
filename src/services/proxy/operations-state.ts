/**
 * @module services/proxy/operations-state
 * `proxy enable|disable|delete <id|domain>`. Enabling an enabled host is reported as
 * unchanged rather than sent (NPM answers that with a 400); delete asks first.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { appNameSchema, configMarkedApp } from '../../core/marker.js';
import { defineOperation, type Operation } from '../../core/operation.js';
import { text } from '../../core/render.js';
import { proxyClientFactory } from './factory.js';
import { hostRefSchema } from './inputs.js';
import { resolveHost } from './resolve.js';

/** JSON shape of `proxy enable` / `proxy disable`. */
export interface ProxyToggleResult {
  id: number;
  domains: string[];
  enabled: boolean;
  /** False when the host was already in that state (nothing sent). */
  changed: boolean;
}

const refInput = z.object({ host: hostRefSchema });

function toggle(enable: boolean): Operation<typeof refInput, ProxyToggleResult> {
  const verb = enable ? 'enable' : 'disable';
  return defineOperation({
    id: `proxy.${verb}`,
    summary: enable ? 'Enable a proxy host' : 'Disable a proxy host (its config is removed from nginx)',
    args: ['host'],
    input: refInput,
    risk: 'change',
    examples: [`proxy ${verb} media.home.lan`, `proxy ${verb} 9`],
    confirm: (input) => (enable ? `Enable proxy host ${input.host} (nginx serves it again)` : `Disable proxy host ${input.host} (its config is removed from nginx: its domains stop answering)`),
    async run(ctx, input) {
      const client = await ctx.client(proxyClientFactory);
      const host = await resolveHost(client, input.host, ctx.signal);
      const changed = host.enabled !== enable;
      if (changed) await client.setProxyHostEnabled(host.id, enable, ctx.signal);
      return { id: host.id, domains: host.domain_names, enabled: enable, changed };
    },
    render: (r) => [text(r.changed ? `${r.domains.join(', ')} (#${r.id}) ${verb}d` : `${r.domains.join(', ')} (#${r.id}) was already ${verb}d`, r.changed ? 'ok' : 'dim')],
  });
}

/** `proxy enable <host>`. */
export const proxyEnable = toggle(true);
/** `proxy disable <host>`. */
export const proxyDisable = toggle(false);

/** JSON shape of `proxy delete`. */
export interface ProxyDeleteResult {
  id: number;
  domains: string[];
  deleted: true;
}

/** `proxy delete <host>`. */
export const proxyDelete = defineOperation({
  id: 'proxy.delete',
  summary: 'Delete a proxy host',
  args: ['host'],
  input: refInput.extend({
    app: appNameSchema.optional().describe("only when the host carries homelab's marker for this app (refused otherwise)"),
  }),
  risk: 'danger',
  examples: ['proxy delete wiki.home.lan', 'proxy delete 12 --yes', 'proxy delete wiki.home.lan --app wiki'],
  confirm: (input) => `Delete proxy host ${input.host}${input.app ? ` (only if marked for app ${input.app})` : ''}`,
  async run(ctx, input): Promise<ProxyDeleteResult> {
    const client = await ctx.client(proxyClientFactory);
    const host = await resolveHost(client, input.host, ctx.signal);
    if (input.app && configMarkedApp(host.advanced_config) !== input.app) {
      throw new OperationError(`proxy host ${host.id} (${host.domain_names.join(', ')}) does not carry homelab's marker for app ${input.app}: left alone`,
        'homelab only deletes what it created; delete it without --app if you mean to');
    }
    await client.deleteProxyHost(host.id, ctx.signal);
    return { id: host.id, domains: host.domain_names, deleted: true };
  },
  render: (r) => [text(`deleted proxy host ${r.id} (${r.domains.join(', ')})`, 'ok')],
});
