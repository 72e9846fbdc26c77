/**
 * @module services/proxy/sim/schemas
 * NPM's request body schemas (from `backend/schema/**`), all `additionalProperties:
 * false`: create bodies with their required keys, update bodies partial with at least
 * one key. Version-gated fields follow the sheet (`trust_forwarded_proto` from 2.14.0,
 * redirection `forward_scheme: auto` from 2.13.3, `meta.key_type` from 2.13.6,
 * `letsencrypt_email` only up to 2.12).
 */
import type { JsonSchema } from './json-schema.js';

const bool: JsonSchema = { type: 'boolean' };
const port: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };
const id: JsonSchema = { type: 'integer', minimum: 0 };
const anyObject: JsonSchema = { type: 'object' };

/** NPM's domain-name pattern (`common.json#/properties/domain_names`). */
export const DOMAIN_PATTERN = "^[^&| @!#%^();:/\\\\}{=+?<>,~`'\"]+$";

const domainNames: JsonSchema = {
  type: 'array', minItems: 1, maxItems: 100, uniqueItems: true,
  items: { type: 'string', minLength: 4, maxLength: 255, pattern: DOMAIN_PATTERN },
};
const certificateId: JsonSchema = { anyOf: [id, { type: 'string', pattern: '^new$' }] };
const location: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['path', 'forward_scheme', 'forward_host', 'forward_port'],
  properties: {
    id: { nullable: { type: 'integer' } }, path: { type: 'string', minLength: 1 }, forward_scheme: { type: 'string', enum: ['http', 'https'] },
    forward_host: { type: 'string', minLength: 1, maxLength: 255 }, forward_port: port, forward_path: { type: 'string' }, advanced_config: { type: 'string' },
  },
};

/** Version as a comparable number: 2.14.0 → 21400. */
export function versionNumber(version: string): number {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  return a * 10000 + b * 100 + c;
}

/** The create and update schemas of one resource. */
export interface BodySchemas {
  create: JsonSchema;
  update: JsonSchema;
}

function pair(properties: Record<string, JsonSchema>, required: string[]): BodySchemas {
  return {
    create: { type: 'object', additionalProperties: false, required, properties },
    update: { type: 'object', additionalProperties: false, minProperties: 1, properties },
  };
}

/** Body schemas of every writable resource, for one NPM version. */
export function bodySchemas(version: string): Record<'proxy' | 'redirection' | 'dead' | 'stream' | 'accessList', BodySchemas> & { certificate: JsonSchema } {
  const v = versionNumber(version);
  const tls = { certificate_id: certificateId, ssl_forced: bool, hsts_enabled: bool, hsts_subdomains: bool, http2_support: bool };
  const proxy: Record<string, JsonSchema> = {
    domain_names: domainNames, forward_scheme: { type: 'string', enum: ['http', 'https'] }, forward_host: { type: 'string', minLength: 1, maxLength: 255 },
    forward_port: port, access_list_id: id, ...tls, block_exploits: bool, caching_enabled: bool, allow_websocket_upgrade: bool,
    advanced_config: { type: 'string' }, enabled: bool, meta: anyObject, locations: { type: 'array', items: location },
  };
  if (v >= 21400) proxy.trust_forwarded_proto = bool;
  const certMeta: Record<string, JsonSchema> = {
    dns_challenge: bool, dns_provider: { type: 'string' }, dns_provider_credentials: { type: 'string' },
    propagation_seconds: { type: 'integer', minimum: 0 }, certificate: { type: 'string' }, certificate_key: { type: 'string' },
  };
  if (v >= 21306) certMeta.key_type = { type: 'string', enum: ['rsa', 'ecdsa'] };
  if (v < 21300) Object.assign(certMeta, { letsencrypt_email: { type: 'string' }, letsencrypt_agree: bool });
  return {
    proxy: pair(proxy, ['domain_names', 'forward_scheme', 'forward_host', 'forward_port']),
    redirection: pair({
      domain_names: domainNames, forward_scheme: { type: 'string', enum: v >= 21303 ? ['auto', 'http', 'https'] : ['http', 'https'] },
      forward_http_code: { type: 'integer', minimum: 300, maximum: 308 }, forward_domain_name: { type: 'string', minLength: 1, maxLength: 255 },
      preserve_path: bool, ...tls, block_exploits: bool, advanced_config: { type: 'string' }, meta: anyObject,
    }, ['domain_names', 'forward_scheme', 'forward_http_code', 'forward_domain_name']),
    dead: pair({ domain_names: domainNames, ...tls, advanced_config: { type: 'string' }, meta: anyObject }, ['domain_names']),
    stream: pair({
      incoming_port: port, forwarding_host: { type: 'string', minLength: 1, maxLength: 255 }, forwarding_port: port,
      tcp_forwarding: bool, udp_forwarding: bool, certificate_id: certificateId, meta: anyObject, domain_names: domainNames,
    }, ['incoming_port', 'forwarding_host', 'forwarding_port']),
    accessList: pair({
      name: { type: 'string', minLength: 1 }, satisfy_any: bool, pass_auth: bool, meta: anyObject,
      items: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string' } } } },
      clients: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['address', 'directive'], properties: { address: { type: 'string', minLength: 1 }, directive: { type: 'string', enum: ['allow', 'deny'] } } } },
    }, ['name']),
    certificate: {
      type: 'object', additionalProperties: false, required: ['provider'],
      properties: {
        provider: { type: 'string', enum: ['letsencrypt', 'other'] }, nice_name: { type: 'string' }, domain_names: domainNames,
        meta: { type: 'object', additionalProperties: false, properties: certMeta },
      },
    },
  };
}

/** `POST /api/tokens`. */
export const tokenSchema: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['identity', 'secret'],
  properties: { identity: { type: 'string', minLength: 1 }, secret: { type: 'string', minLength: 1 }, scope: { type: 'string', enum: ['user'] } },
};

/** `POST /api/tokens/2fa`. */
export const twoFactorSchema: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['challenge_token', 'code'],
  properties: { challenge_token: { type: 'string', minLength: 1 }, code: { type: 'string', minLength: 6, maxLength: 8 } },
};

/** `POST /api/users`. */
export const userCreateSchema: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'nickname', 'email'],
  properties: {
    name: { type: 'string', minLength: 1 }, nickname: { type: 'string', minLength: 1 }, email: { type: 'string', minLength: 3 },
    roles: { type: 'array', items: { type: 'string', enum: ['admin'] } }, is_disabled: bool,
    auth: { type: 'object', additionalProperties: false, required: ['type', 'secret'], properties: { type: { type: 'string', enum: ['password'] }, secret: { type: 'string', minLength: 8, maxLength: 64 } } },
  },
};
