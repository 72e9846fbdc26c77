/**
 * @module services/hub/expose
 * `homelab expose <name> <target>`: puts an app behind the proxy in one step. The plan
 * (see `expose-plan`): a DNS record for `<name>.<zone>`, a certificate when one is needed,
 * an NPM proxy host forwarding to the target, an Uptime Kuma monitor, each marked as
 * homelab's for the app. It is shown and confirmed like any plan (`--yes`, a TTY prompt,
 * Telegram's buttons), `--dry-run` prints it and changes nothing, and a failed step undoes
 * the ones before it. Re-running it is safe: what is already as wanted is "unchanged"; a
 * re-run with another `--dns` replaces the app's own record, `--dns none` deletes it
 * (expose-plan): a delete, refused where only `change` is allowed (expose-build). A step
 * whose outcome is unknown names the command that finishes the job: this one, with every
 * option given (expose-command).
 */
import { definePlanOperation } from '../../orchestration/plan-operation.js';
import { buildExposePlan } from './expose-build.js';
import { exposeRerun } from './expose-command.js';
import { appSpecOf, exposeInputSchema } from './expose-spec.js';

/** `homelab expose <name> <target>`. */
export const exposeOperation = definePlanOperation({
  id: 'expose',
  summary: 'Put an app behind the proxy: DNS record, proxy host, certificate and monitor, with rollback',
  description: 'The target is a guest (name or VMID) with a port, an address with a port, or a host name with a port; '
    + "a guest's address comes from pve ip, else from its DNS record. The record <name>.<zone> is a CNAME to the proxy's name "
    + '(services.proxy.dns_name) or an A record to its address (services.proxy.address, else the host of services.proxy.url); '
    + '--dns none makes none (and deletes the app\'s own record), --dns <address> or <host name> points it there instead. '
    + "--cert auto reuses a certificate that covers the name (a wildcard too), else requests one from Let's Encrypt through NPM "
    + '(a certificate the proxy host has is kept while valid and covering the name, else replaced); '
    + 'a certificate id must cover the name. With a certificate SSL is forced (--force-ssl with --cert none is refused); exploits are blocked. Everything created carries the '
    + 'marker managed-by: homelab app=<name>. Anything at the name that homelab did not create (a monitor of its URL too) is '
    + 'reported and left alone (nothing is changed then). The app\'s own record of another type or value (--dns changed) is replaced: '
    + 'deleted, then created (a failure re-creates it); that delete makes the run a danger one (refused where only change is allowed: MCP, the dashboard).',
  args: ['name', 'target'],
  input: exposeInputSchema,
  risk: 'change',
  timeoutMs: 400_000,
  examples: ['expose wiki forgejo:3000', 'expose wiki 10.5.0.60:3000 --dns a --cert none --no-monitor', 'expose ha 200:8123 --websockets --dry-run'],
  build: (ctx, input, options) => buildExposePlan(ctx, appSpecOf(input), options),
  rerun: (input) => exposeRerun(appSpecOf(input)),
});
