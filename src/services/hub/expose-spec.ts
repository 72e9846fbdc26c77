/**
 * @module services/hub/expose-spec
 * The fields of one exposed app (`AppSpec`), as `homelab expose` takes them and an `apps:`
 * entry of lab.yaml holds them: the name, the target, how the name reaches the proxy (`dns`),
 * the proxy host's options, the certificate and the monitor. Checked before anything is sent.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { newAppNameSchema } from '../../core/marker.js';
import { isHostName, notAnAddress, targetSpecSchema } from './expose-target.js';

/** `auto` (reuse a certificate that covers the name, else request Let's Encrypt), `none`, or a certificate id. */
export type CertChoice = 'auto' | 'none' | number;

const certChoiceSchema = z
  .union([z.number().int().min(1).max(999_999_999), z.string()], { error: 'cert must be auto, none or a certificate id (see homelab proxy certs)' })
  .transform((v, ctx): CertChoice => {
    if (typeof v === 'number') return v;
    const s = v.trim().toLowerCase();
    if (s === 'auto' || s === 'none') return s;
    if (/^\d{1,9}$/.test(s) && Number(s) > 0) return Number(s);
    ctx.addIssue({ code: 'custom', message: 'cert must be auto, none or a certificate id (see homelab proxy certs)' });
    return z.NEVER;
  })
  .describe('auto: reuse a certificate that covers the name (a wildcard too), else request one from Let\'s Encrypt; none; or a certificate id');

const DNS_CHOICE = 'dns must be cname, a, none, an address or a fully qualified host name';

/**
 * The record at `<name>.<zone>`: `cname` (to the proxy's name), `a` (an A/AAAA record to the
 * proxy's address), `none` (no record: the app's own is deleted), an address (an A/AAAA record to it, e.g. straight at
 * a guest) or a fully qualified host name (a CNAME to it).
 */
const dnsChoiceSchema = z
  .string()
  .transform((v, ctx): string => {
    const s = v.trim().toLowerCase().replace(/\.$/, '');
    if (s === 'cname' || s === 'a' || s === 'none') return s;
    if (isIPv4(s)) return s;
    if (isIPv6(s)) return new URL(`http://[${s}]/`).hostname.slice(1, -1);
    if (s.includes('.') && isHostName(s)) return s;
    ctx.addIssue({ code: 'custom', message: /^[\d.]+$/.test(s) ? `${notAnAddress(s)}: ${DNS_CHOICE}` : DNS_CHOICE });
    return z.NEVER;
  })
  .describe('the record at <name>.<zone>: cname (to the proxy\'s name), a (to the proxy\'s address), none (no record: the app\'s own is deleted), an address (an A/AAAA record to it) '
    + 'or a host name (a CNAME to it); default: services.proxy.expose_dns, else cname when services.proxy.dns_name is set, else a');

/** The fields of one app, as `homelab expose` and lab.yaml `apps:` take them (lab.yaml spells the two-word ones block_exploits, force_ssl, monitor_url). */
export const appSpecFields = {
  name: newAppNameSchema.describe('app name: the record is <name>.<zone>'),
  target: targetSpecSchema,
  dns: dnsChoiceSchema.optional(),
  scheme: z.enum(['http', 'https']).default('http').describe('scheme from the proxy to the target'),
  websockets: z.boolean().default(false).describe('allow websocket upgrades'),
  cert: certChoiceSchema.default('auto'),
  monitor: z.boolean().default(true).describe('an Uptime Kuma HTTP monitor for the name (on by default; --no-monitor skips it)'),
  blockExploits: z.boolean().default(true).describe('NPM blocks common exploits (on by default)'),
  forceSsl: z.boolean().default(true).describe('with a certificate, redirect HTTP to HTTPS (on by default)'),
  monitorUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()
    .describe('the URL the monitor checks (default: https://<name>.<zone>, http:// with --cert none)'),
};

/** The message when a monitor URL is given with the monitor turned off. */
export const MONITOR_URL_WITHOUT_MONITOR = 'a monitor URL with no monitor: --monitor-url (monitor_url) and --no-monitor (monitor: false) cannot go together';

/** The schema of one app's fields (a monitor URL with no monitor is refused, not dropped). */
export const appSpecSchema = z.object(appSpecFields).superRefine((spec, issue) => {
  if (!spec.monitor && spec.monitorUrl !== undefined) issue.addIssue({ code: 'custom', path: ['monitorUrl'], message: MONITOR_URL_WITHOUT_MONITOR });
});

/** One app's fields, validated. */
export type AppSpec = z.infer<typeof appSpecSchema>;

/** The message when SSL is forced with no certificate. */
export const FORCE_SSL_WITHOUT_CERT_FLAG = 'SSL cannot be forced without a certificate: --force-ssl (forceSsl) and --cert none cannot go together';

/**
 * `homelab expose`'s input: the app's fields, with `forceSsl` unset unless given (unset is
 * on, `appSpecOf`), so that an explicit `--force-ssl` with `--cert none` is refused rather
 * than dropped, as `force_ssl: true` with `cert: none` is in lab.yaml.
 */
export const exposeInputSchema = z.object({
  ...appSpecFields,
  forceSsl: z.boolean().optional().describe('with a certificate, redirect HTTP to HTTPS (on by default; --no-force-ssl turns it off; refused with --cert none)'),
}).superRefine((spec, issue) => {
  if (!spec.monitor && spec.monitorUrl !== undefined) issue.addIssue({ code: 'custom', path: ['monitorUrl'], message: MONITOR_URL_WITHOUT_MONITOR });
  if (spec.cert === 'none' && spec.forceSsl === true) issue.addIssue({ code: 'custom', path: ['forceSsl'], message: FORCE_SSL_WITHOUT_CERT_FLAG });
});

/** `homelab expose`'s input, validated. */
export type ExposeInput = z.infer<typeof exposeInputSchema>;

/** The app's fields an expose input gives: SSL forced unless turned off. */
export function appSpecOf(input: ExposeInput): AppSpec {
  return { ...input, forceSsl: input.forceSsl ?? true };
}
