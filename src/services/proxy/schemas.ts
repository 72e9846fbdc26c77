/**
 * @module services/proxy/schemas
 * zod schemas of the NPM answers the proxy operations depend on. Booleans are real
 * JSON booleans since v2.12 but were 0/1 before, so both are accepted. Certificate
 * `meta` is never declared: custom certificates carry their private key there, and
 * zod drops undeclared keys, so it can never reach output.
 */
import { z } from 'zod';
import { headerSafeToken } from '../../core/http/index.js';

/** A boolean, or the 0/1 integers of older releases. */
export const flag = z.union([z.boolean(), z.number()]).transform((v) => Boolean(v));

const when = z.string();
const domains = z.array(z.string());

/** `GET /api/` (health). */
export const healthSchema = z.looseObject({
  status: z.string(),
  setup: z.boolean().optional(),
  version: z.object({ major: z.number(), minor: z.number(), revision: z.number() }).optional(),
});

/** `POST /api/tokens` (either a token, or a 2FA challenge). */
export const tokenAnswerSchema = z.union([
  z.object({ token: headerSafeToken, expires: z.string() }),
  z.object({ requires_2fa: z.literal(true), challenge_token: z.string().min(1) }),
]);

/** `{ token, expires }`. */
export const tokenSchema = z.object({ token: headerSafeToken, expires: z.string() });

/** The error envelope: `{ error: { code, message } }`. */
export const errorSchema = z.object({ error: z.looseObject({ code: z.number().optional(), message: z.string() }) });

/** A certificate, without `meta`. */
export const certificateSchema = z.object({
  id: z.number(),
  provider: z.string(),
  nice_name: z.string().nullish(),
  domain_names: domains,
  expires_on: when.nullish(),
  created_on: when.optional(),
});

/** A certificate as NPM describes it (no meta). */
export type NpmCertificate = z.infer<typeof certificateSchema>;

/** An access list (users and client rules when expanded; passwords are never kept). */
export const accessListSchema = z.object({
  id: z.number(),
  name: z.string(),
  satisfy_any: flag.optional(),
  pass_auth: flag.optional(),
  proxy_host_count: z.number().optional(),
  items: z.array(z.object({ username: z.string() })).optional(),
  clients: z.array(z.object({ address: z.string(), directive: z.string() })).optional(),
});

const nginxMeta = z.looseObject({ nginx_online: flag.nullish(), nginx_err: z.string().nullish() }).nullish();

/** A proxy host (with `certificate` and `access_list` when expanded). */
export const proxyHostSchema = z.object({
  id: z.number(),
  created_on: when.optional(),
  modified_on: when.optional(),
  domain_names: domains,
  forward_scheme: z.string(),
  forward_host: z.string(),
  forward_port: z.number(),
  certificate_id: z.union([z.number(), z.string()]).optional(),
  access_list_id: z.number().optional(),
  ssl_forced: flag.optional(),
  http2_support: flag.optional(),
  hsts_enabled: flag.optional(),
  hsts_subdomains: flag.optional(),
  block_exploits: flag.optional(),
  caching_enabled: flag.optional(),
  allow_websocket_upgrade: flag.optional(),
  enabled: flag,
  advanced_config: z.string().nullish(),
  locations: z.array(z.looseObject({ path: z.string(), forward_scheme: z.string(), forward_host: z.string(), forward_port: z.number() })).nullish(),
  meta: nginxMeta,
  certificate: certificateSchema.nullish(),
  access_list: accessListSchema.nullish(),
});

/** A proxy host as NPM describes it. */
export type NpmProxyHost = z.infer<typeof proxyHostSchema>;

/** A redirection host. */
export const redirectionHostSchema = z.object({
  id: z.number(),
  domain_names: domains,
  forward_scheme: z.string(),
  forward_domain_name: z.string(),
  forward_http_code: z.number(),
  preserve_path: flag.optional(),
  certificate_id: z.union([z.number(), z.string()]).optional(),
  ssl_forced: flag.optional(),
  enabled: flag,
  meta: nginxMeta,
});

/** A 404 ("dead") host. */
export const deadHostSchema = z.object({
  id: z.number(),
  domain_names: domains,
  certificate_id: z.union([z.number(), z.string()]).optional(),
  ssl_forced: flag.optional(),
  enabled: flag,
  meta: nginxMeta,
});

/** A stream (TCP/UDP forward). */
export const streamSchema = z.object({
  id: z.number(),
  incoming_port: z.number(),
  forwarding_host: z.string(),
  forwarding_port: z.number(),
  tcp_forwarding: flag.optional(),
  udp_forwarding: flag.optional(),
  certificate_id: z.union([z.number(), z.string()]).optional(),
  enabled: flag,
  meta: nginxMeta,
});

/** One audit log row (meta is not kept: it can hold whole objects). */
export const auditSchema = z.object({
  id: z.number(),
  created_on: when,
  user_id: z.number(),
  object_type: z.string(),
  object_id: z.number(),
  action: z.string(),
  meta: z.looseObject({
    domain_names: domains.optional(), nice_name: z.string().optional(), name: z.string().optional(), incoming_port: z.number().optional(),
  }).nullish(),
  user: z.object({ email: z.string().optional(), name: z.string().optional() }).nullish(),
});
