/**
 * @module services/proxy/hosts-view
 * Proxy hosts as the proxy operations return them (`--json`), and how they render:
 * forward target, TLS with the certificate's days to expiry, and whether nginx
 * accepted the host's config (`meta.nginx_online`, `meta.nginx_err`).
 */
import { configMarkedApp } from '../../core/marker.js';
import { fields, text, toned, type Cell, type Rendered } from '../../core/render.js';
import type { NpmCertificate, NpmProxyHost } from './schemas.js';

/** JSON shape of a certificate reference with its expiry. */
export interface CertificateRef {
  id: number;
  name: string;
  provider: string;
  /** ISO-8601 (UTC), or null when unknown. */
  expiresOn: string | null;
  /** Whole days until expiry, rounded up; 0 or less once expired. */
  daysLeft: number | null;
}

/** JSON shape of one proxy host (`proxy list` entries, `proxy show`, add/update results). */
export interface ProxyHostSummary {
  id: number;
  domains: string[];
  forwardScheme: string;
  forwardHost: string;
  forwardPort: number;
  /** `http://10.5.0.12:3000`. */
  forward: string;
  enabled: boolean;
  /** nginx accepted the config; null when not tested yet. */
  online: boolean | null;
  /** nginx's error when it rejected the config. */
  nginxError: string | null;
  certificate: CertificateRef | null;
  /**
   * The certificate the host still names though NPM has deleted it (`proxy cert-delete` leaves
   * the hosts using one as they are), or null. `certificate` is null then, and `sslForced` is
   * what NPM still has set.
   */
  deletedCertificateId: number | null;
  sslForced: boolean;
  http2: boolean;
  hsts: boolean;
  websockets: boolean;
  blockExploits: boolean;
  caching: boolean;
  accessList: { id: number; name: string } | null;
  /** The app whose homelab marker the advanced config carries (`# managed-by: homelab app=wiki`), or null. */
  app: string | null;
}

/** `proxy show` adds these. */
export interface ProxyHostDetail extends ProxyHostSummary {
  advancedConfig: string;
  locations: { path: string; forward: string }[];
  createdOn: string | null;
  modifiedOn: string | null;
}

/** Parses NPM's timestamps (`2026-11-25 17:50:30` in UTC, or ISO) to ISO. */
export function npmDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Days until an ISO date, rounded up (a certificate expiring in 4 days 20 hours has 5 days left). */
export function daysUntil(iso: string | null, now = Date.now()): number | null {
  return iso ? Math.ceil((Date.parse(iso) - now) / 86_400_000) : null;
}

/** A certificate reference. */
export function certificateRef(cert: NpmCertificate, now = Date.now()): CertificateRef {
  const expiresOn = npmDate(cert.expires_on);
  return { id: cert.id, name: cert.nice_name || cert.domain_names.join(', '), provider: cert.provider, expiresOn, daysLeft: daysUntil(expiresOn, now) };
}

/**
 * The id a host (expanded with its certificate) names in `certificate_id` when NPM answered no
 * certificate for it: NPM expands only certificates not deleted.
 */
export function deletedCertificateOf(h: NpmProxyHost): number | null {
  const id = Number(h.certificate_id ?? 0);
  return !h.certificate && Number.isInteger(id) && id > 0 ? id : null;
}

/** A host's certificate cell: `#3 Let's Encrypt`, `#7 deleted` (still named, gone from NPM), or `-`. */
export function certificateCell(h: Pick<ProxyHostSummary, 'certificate' | 'deletedCertificateId'>): Cell {
  if (h.certificate) return `#${h.certificate.id} ${h.certificate.provider === 'letsencrypt' ? "Let's Encrypt" : h.certificate.provider}`;
  return h.deletedCertificateId === null ? '-' : toned(`#${h.deletedCertificateId} deleted`, 'bad');
}

/** A host's ssl cell: forced or optional with a certificate, the flag NPM still has (warn) with a deleted one, else none. */
export function sslCell(h: Pick<ProxyHostSummary, 'certificate' | 'deletedCertificateId' | 'sslForced'>): Cell {
  const word = h.sslForced ? 'forced' : 'optional';
  if (h.certificate) return word;
  return h.deletedCertificateId === null ? toned('none', 'dim') : toned(word, 'warn');
}

/** What a host naming a deleted certificate means, and how to give it one; null for any other host. */
export function deletedCertificateNote(h: Pick<ProxyHostSummary, 'deletedCertificateId' | 'sslForced' | 'domains' | 'id'>): string | null {
  if (h.deletedCertificateId === null) return null;
  const ref = h.domains[0] ?? String(h.id);
  return `certificate #${h.deletedCertificateId} was deleted in NPM, but this host still names it${h.sslForced ? ' (with HTTPS forced)' : ''}: `
    + 'NPM rewrites its nginx config, without TLS, only when the host is next saved. '
    + `Give it a certificate: homelab proxy update ${ref} --cert <id> (or --new-cert), or none: --cert 0`;
}

/** Converts a host (expanded with certificate and access_list) to its JSON shape. */
export function hostSummary(h: NpmProxyHost, now = Date.now()): ProxyHostSummary {
  return {
    id: h.id, domains: h.domain_names, forwardScheme: h.forward_scheme, forwardHost: h.forward_host, forwardPort: h.forward_port,
    forward: `${h.forward_scheme}://${h.forward_host.includes(':') ? `[${h.forward_host}]` : h.forward_host}:${h.forward_port}`,
    enabled: h.enabled, online: h.meta?.nginx_online ?? null, nginxError: h.meta?.nginx_err ?? null,
    certificate: h.certificate ? certificateRef(h.certificate, now) : null,
    deletedCertificateId: deletedCertificateOf(h),
    sslForced: Boolean(h.ssl_forced), http2: Boolean(h.http2_support), hsts: Boolean(h.hsts_enabled), websockets: Boolean(h.allow_websocket_upgrade),
    blockExploits: Boolean(h.block_exploits), caching: Boolean(h.caching_enabled),
    accessList: h.access_list ? { id: h.access_list.id, name: h.access_list.name } : null,
    app: configMarkedApp(h.advanced_config),
  };
}

/** Converts a host to the `proxy show` shape. */
export function hostDetail(h: NpmProxyHost, now = Date.now()): ProxyHostDetail {
  return {
    ...hostSummary(h, now), advancedConfig: h.advanced_config ?? '',
    locations: (h.locations ?? []).map((l) => ({ path: l.path, forward: `${l.forward_scheme}://${l.forward_host}:${l.forward_port}` })),
    createdOn: npmDate(h.created_on), modifiedOn: npmDate(h.modified_on),
  };
}

/** A days-left cell: red within a week, yellow within a month. */
export function daysCell(days: number | null): Cell {
  if (days === null) return '-';
  return toned(days <= 0 ? 'expired' : `${days}d`, days <= 7 ? 'bad' : days <= 30 ? 'warn' : 'ok');
}

/** The online cell of a host. */
export function onlineCell(h: { enabled: boolean; online: boolean | null }): Cell {
  if (!h.enabled) return toned('disabled', 'dim');
  return h.online === null ? toned('untested', 'dim') : h.online ? toned('online', 'ok') : toned('offline', 'bad');
}

/** Renders one host in full. */
export function renderHost(h: ProxyHostSummary | ProxyHostDetail, headline?: string): Rendered {
  const detail = 'advancedConfig' in h ? h : undefined;
  const blocks: Rendered = [];
  if (headline) blocks.push(text(headline, 'ok'));
  blocks.push(fields([
    ['id', h.id], ['domains', h.domains.join(', ')], ['forward', h.forward], ['state', onlineCell(h)],
    ['certificate', h.certificate ? `${h.certificate.name} (#${h.certificate.id}, ${h.certificate.provider})` : h.deletedCertificateId !== null ? toned(`#${h.deletedCertificateId}, deleted in NPM`, 'bad') : 'none'],
    ['expires', h.certificate ? daysCell(h.certificate.daysLeft) : '-'],
    ['options', [h.sslForced && 'force SSL', h.http2 && 'HTTP/2', h.hsts && 'HSTS', h.websockets && 'websockets', h.blockExploits && 'block exploits', h.caching && 'caching'].filter(Boolean).join(', ') || '-'],
    ['access list', h.accessList ? `${h.accessList.name} (#${h.accessList.id})` : 'public'],
    ...(h.app ? [['managed', `by homelab for app ${h.app}`] as [string, Cell]] : []),
    ...(detail ? [['locations', detail.locations.map((l) => `${l.path} → ${l.forward}`).join(', ') || '-'] as [string, Cell], ['modified', detail.modifiedOn ?? '-'] as [string, Cell]] : []),
  ]));
  if (h.nginxError) blocks.push(text(`nginx rejected the config: ${h.nginxError}`, 'bad'));
  const deleted = deletedCertificateNote(h);
  if (deleted) blocks.push(text(deleted, 'warn'));
  if (detail?.advancedConfig) blocks.push(text(`advanced config:\n${detail.advancedConfig}`, 'dim'));
  return blocks;
}
