/**
 * @module surfaces/web/command
 * `homelab serve [--host H] [--port N] [--allow change|danger] [--refresh 30s] [--trust-proxy A]`: the web
 * dashboard, until SIGINT or SIGTERM. Read-only unless `--allow` says otherwise. Binds
 * 127.0.0.1 by default; with no password file, loopback serves the single local user
 * without sign-in, and any other address is refused until `homelab serve passwd` has set
 * a login (then every visitor signs in, on loopback too, a running dashboard included:
 * it follows the file, see logins); a login-free start with `--allow
 * change|danger` warns that any local program can then act. Installs the audit hook, so
 * every change made from the dashboard is in `homelab audit` as `web:<user>`. Serves
 * every lab (context) of the config; the one it starts in (`--context`) is the default.
 * `homelab serve passwd [--user NAME]` sets a password (CLI only).
 */
import { z } from 'zod';
import { installAuditHook } from '../../audit/hook.js';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { parseDuration } from '../../core/format.js';
import { getRegistry } from '../../services/index.js';
import { parseDaemonFlags } from '../shared/daemon-flags.js';
import { parseTrusted } from './client-address.js';
import { bindAddress } from '../listen.js';
import { wholeNumberFlag } from '../number-flag.js';
import { localUserName } from './local-user.js';
import { isLoopback } from '../shared/loopback.js';
import { loadPasswords, passwordsFile } from './passwords.js';
import { allowSchema } from '../shared/allow-level.js';
import { serveOptions, valueFlags } from '../shared/command-options.js';

export { isLoopback } from '../shared/loopback.js';

const HELP = `Usage: homelab serve [--host H] [--port N] [--allow change|danger] [--refresh 30s] [--trust-proxy ADDR,…]
       homelab serve passwd [--user NAME]

Serves the web dashboard: the overview (every service's status, the consistency
check, firing alerts, pending updates), a page per service and a form per
operation, generated from the same operations as the CLI, and the audit log.
Read-only by default: operations that change state are shown disabled.
  --allow change   also allow operations that change state (after a confirmation page)
  --allow danger   also allow destructive operations (and change ones)
  --host H         address to bind (default 127.0.0.1; IPv6 as ::1 or [::1])
  --port N         port, 1-65535 (default 8480; 0 picks a free one); one in use
                   stops the start with exit 1
  --refresh D      overview refresh period (default 30s; alerts are looked at every 5s;
                   the consistency check, which reads every guest's config, runs every
                   5m, or every D when longer)
  --trust-proxy A  reverse proxies (addresses or CIDR ranges, comma-separated) whose
                   X-Forwarded-For names the client; loopback only when named (a proxy
                   on this machine: --trust-proxy 127.0.0.1); a range must hold proxies only

Labs: when config.yaml defines several contexts, one dashboard serves them all.
The context it starts in (homelab --context office serve, HOMELAB_CONTEXT or
current_context) is shown first; a selector in the page header switches the lab
for your session. Pages, forms and runs are in the lab shown; a confirmed change
runs in the lab its form was submitted in and is audited with that context.
Alerts name their lab, and the audit log can be filtered by lab. A context added
to config.yaml while the dashboard runs is served within a second, no restart
(a change to a lab already in use, such as a new URL, takes a restart).

Sign-in: with no password file, the dashboard serves only loopback, to the local
user, without a login. \`homelab serve passwd\` creates $HOMELAB_CONFIG_HOME/web/passwords
(scrypt hashes, mode 0600); from then on everyone signs in, on a dashboard already
running too (it looks at the file every second: sessions made without a login end, as
do those of a user removed or whose password is set again), and a non-loopback --host
is allowed. Put a TLS reverse proxy in front of a non-loopback dashboard: cookies are
then marked Secure (the proxy sends X-Forwarded-Proto: https, as Nginx Proxy Manager does).
Failed sign-ins are limited per client address and user name (5 in 15 min) and per
client address (20 in 15 min), so wrong passwords from one place never lock a user out
elsewhere; an IPv6 client counts by its /64. Past 50 failures for one user name in 15 min,
from anywhere, that name may be tried once a minute. Behind a reverse proxy, name it with
--trust-proxy (on this machine too: --trust-proxy 127.0.0.1): otherwise every visitor counts
as the proxy's address. Trust only proxies: a trusted peer may name any client address.

Without a login, any program on this machine can use the dashboard; with --allow
change or danger it can change the lab, and serve says so when it starts. It serves
nothing that comes through a reverse proxy it can recognise (a --trust-proxy peer, or
a proxy's headers: X-Forwarded-For, Forwarded, X-Real-IP, X-Forwarded-Host/Proto, Via);
a proxy that adds none looks like a local browser: set a login before putting one in front.
Once a running dashboard has had a password file, it never goes without a login: if
the file is deleted or moved, every sign-in is refused until it is restored (or serve
is restarted).
`;

const PORT_RANGE = '--port must be a port number from 1 to 65535 (0 picks a free one)';

const optionsSchema = z.object({
  allow: allowSchema.default('read'),
  // `[::1]` and `::1` alike: listened on bare, written in brackets in the URL (listen).
  host: z.string().min(1, '--host needs an address').default('127.0.0.1').transform((text, ctx) => {
    try {
      return bindAddress(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  port: wholeNumberFlag(0, 65535, PORT_RANGE).default(8480),
  refresh: z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `--refresh must be a duration like 30s, 5m or 1h, not ${JSON.stringify(text)}` });
    else if (ms < 5000) ctx.addIssue({ code: 'custom', message: '--refresh must be at least 5s' });
    return ms ?? z.NEVER;
  }).default(30_000),
  trustProxy: z.string().default('').transform((text, ctx) => {
    const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.find((e) => !parseTrusted(e));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `--trust-proxy: ${JSON.stringify(bad)} is not an address or CIDR range` });
    return entries;
  }),
});

/** The start-up warning of a login-free dashboard that may change the lab. */
export function unguardedWarning(allow: 'change' | 'danger'): string {
  return `warning: --allow ${allow} without a sign-in: any program on this machine can ${allow === 'danger' ? 'change or destroy' : 'change'} the lab through the dashboard (homelab serve passwd sets a login)`;
}

/** Runs `homelab serve …`; returns the exit code. */
export async function serveCommand(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (words[0] === 'passwd') return (await import('./passwd-command.js')).passwdCommand(words.slice(1), env);
  const { options, help } = parseDaemonFlags(words, optionsSchema, valueFlags(serveOptions.flags), 'serve');
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const passwords = loadPasswords(env);
  const loopback = isLoopback(options.host);
  if (!loopback && !passwords) {
    throw new ConfigError(`--host ${options.host} is not a loopback address, and no login is configured`, `set one first: homelab serve passwd --user NAME (writes ${passwordsFile(env)})`);
  }
  const config = loadConfig(env);
  installAuditHook();
  const log = (line: string): void => {
    process.stderr.write(`homelab serve: ${line}\n`);
  };
  const { startWebServer } = await import('./server.js');
  const server = await startWebServer({
    registry: getRegistry(), allow: options.allow, env, config, passwordsFile: passwordsFile(env), localUser: localUserName(), loopback,
    host: options.host, port: options.port, refreshMs: options.refresh, alertPollMs: 5000, timeoutMs: 30_000, log, trustProxy: options.trustProxy,
  });
  // Listening for the stop signals before saying where it is: a SIGTERM right after that line still stops cleanly.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const mode = options.allow === 'read' ? 'read-only' : `--allow ${options.allow}`;
  log(`dashboard (${mode}) at ${server.url}/`);
  if (server.state.labs.several) log(`labs: ${server.state.labs.names().join(', ')} (${server.state.labs.home} by default; the header switches)`);
  const users = server.state.logins.current();
  log(users ? `sign-in required (${users.size} user${users.size === 1 ? '' : 's'} in ${passwordsFile(env)})` : `no sign-in: loopback only, as ${localUserName()} (homelab serve passwd sets a login, which applies at once)`);
  if (!users && options.allow !== 'read') log(unguardedWarning(options.allow));
  if (!users && options.trustProxy.length) log(`--trust-proxy without a sign-in: what comes through a reverse proxy is refused until homelab serve passwd sets a login${options.trustProxy.some((a) => /^(127\.|::1$)/.test(a)) ? ', and so is a browser on this machine, since it arrives from a trusted address' : ''}`);
  await stopped;
  await server.close();
  return 0;
}
