/**
 * @module services/setup/service-specs
 * What homelab knows about each service it talks to, independent of that service's
 * client: the config key, the credentials file and its keys, the auth method, the
 * default port, and the original helper's command name. `services`, `doctor`, `init`
 * and `shims` read this table (DESIGN.md, "Configuration").
 */

/** One service homelab can be configured for. */
export interface ServiceSpec {
  /** Key under `services:` in config.yaml (`telegram` is a top-level section instead). */
  key: string;
  label: string;
  /** Directory of the credentials file under $HOMELAB_CONFIG_HOME. */
  credentialsDir: string;
  /** Keys that must all be present. */
  required: readonly string[];
  /** Alternative key sets, one of which must be complete. */
  anyOf?: readonly (readonly string[])[];
  /** Keys that may be present. */
  optional?: readonly string[];
  /** Keys whose values are secrets (asked without echo by init). */
  secret: readonly string[];
  /** How homelab authenticates. */
  auth: string;
  /** Example URL for init's prompt. */
  exampleUrl: string;
  /** The original helper's command name (the shim). */
  shim: string;
}

/** Every service, in the order `services` and `init` list them. */
export const serviceSpecs: readonly ServiceSpec[] = [
  {
    key: 'pve', label: 'Proxmox VE', credentialsDir: 'pve', required: ['PVE_TOKEN_ID', 'PVE_TOKEN_SECRET'], secret: ['PVE_TOKEN_SECRET'],
    auth: 'API token (PVEAPIToken header, id "=" secret)', exampleUrl: 'https://10.5.0.1:8006', shim: 'pve',
  },
  {
    key: 'pbs', label: 'Proxmox Backup Server', credentialsDir: 'pbs', required: ['PBS_TOKEN_ID', 'PBS_TOKEN_SECRET'], secret: ['PBS_TOKEN_SECRET'],
    auth: 'API token (PBSAPIToken header, id ":" secret)', exampleUrl: 'https://10.5.0.6:8007', shim: 'pbs',
  },
  {
    key: 'dns', label: 'Technitium DNS', credentialsDir: 'dns', required: [], anyOf: [['DNS_TOKEN'], ['DNS_USER', 'DNS_PASSWORD']],
    secret: ['DNS_TOKEN', 'DNS_PASSWORD'], auth: 'API token (Authorization header or token parameter), or user + password session', exampleUrl: 'http://10.5.0.2:5380', shim: 'dns',
  },
  {
    key: 'proxy', label: 'Nginx Proxy Manager', credentialsDir: 'npm', required: ['NPM_EMAIL', 'NPM_PASSWORD'], optional: ['NPM_TOTP_SECRET'], secret: ['NPM_PASSWORD', 'NPM_TOTP_SECRET'],
    auth: 'email + password → JWT (POST /api/tokens)', exampleUrl: 'http://10.5.0.3:81', shim: 'npm-api',
  },
  {
    key: 'beszel', label: 'Beszel hub', credentialsDir: 'beszel', required: ['BESZEL_EMAIL', 'BESZEL_PASSWORD'], secret: ['BESZEL_PASSWORD'],
    auth: 'email + password → PocketBase token', exampleUrl: 'http://10.5.0.4:8090', shim: 'beszel',
  },
  {
    key: 'kuma', label: 'Uptime Kuma', credentialsDir: 'kuma', required: ['KUMA_API_KEY'], optional: ['KUMA_USERNAME', 'KUMA_PASSWORD', 'KUMA_TOTP_SECRET'],
    secret: ['KUMA_API_KEY', 'KUMA_PASSWORD', 'KUMA_TOTP_SECRET'], auth: 'API key (/metrics) + Socket.IO login', exampleUrl: 'http://10.5.0.5:3001', shim: 'kuma',
  },
  {
    key: 'telegram', label: 'Telegram bot', credentialsDir: 'telegram', required: ['TELEGRAM_BOT_TOKEN'], secret: ['TELEGRAM_BOT_TOKEN'],
    auth: 'bot token', exampleUrl: 'https://api.telegram.org', shim: 'telegram',
  },
];

/** The shim names and the homelab group each runs (`updates` has no credentials, so it is listed here). */
export const shimTargets: readonly { name: string; group: string }[] = [
  ...serviceSpecs.map((s) => ({ name: s.shim, group: s.key })),
  { name: 'updates', group: 'updates' },
];
