/**
 * @module services/hub/expose-cert
 * Which certificate `cert: auto` gives an app's proxy host (pure). The certificate the host has
 * is kept while it is valid and covers the app's name (a wildcard too), so a second run changes
 * nothing. One that has expired, or that covers other names only, is replaced: by the
 * certificate that covers the name now (`proxy cert-for`: valid, expiring last), else by a new
 * one from Let's Encrypt. A certificate that lists no names (some custom ones) cannot be
 * checked: it is kept, as NPM serves it as given.
 */
import { covers } from '../../core/cert-names.js';
import type { LiveHost } from './expose-live.js';

/** A certificate on a host or found for a name: its id and its name as NPM shows it. */
export interface CertRef {
  id: number;
  name: string;
}

/** What `cert: auto` puts on the host: a certificate there is (`id`), or a new one (`id: null`), and why the host's own goes. */
export interface AutoCert {
  /** The certificate to use; null: request a new one. */
  id: number | null;
  /** Its name, when known. */
  name: string | null;
  /** Why the host's certificate is replaced (`#7 covers git.home.lan, not a5.home.lan`); null when it is kept or there is none. */
  replaces: string | null;
}

/**
 * Why `cert: auto` replaces `cert` on the host of `fqdn` (`has expired`, `covers git.home.lan,
 * not a5.home.lan`), or null when it keeps it. `names` are the names the
 * certificate lists (unknown or none: it cannot be checked, and only its expiry counts).
 */
export function certReplaced(cert: NonNullable<LiveHost['certificate']>, fqdn: string, names: readonly string[] | undefined): string | null {
  if (cert.daysLeft !== null && cert.daysLeft <= 0) return 'has expired';
  if (names?.length && !names.some((n) => covers(n, fqdn))) return `covers ${names.join(', ')}, not ${fqdn}`;
  return null;
}

/**
 * The certificate `cert: auto` gives the host of `fqdn`: the host's own (`held`) when it is
 * valid and covers the name, else `covering` (the one that covers the name now), else a new one.
 */
export function autoCertificate(held: LiveHost['certificate'] | undefined, fqdn: string, names: ReadonlyMap<number, readonly string[]>, covering: CertRef | null): AutoCert {
  const why = held ? certReplaced(held, fqdn, names.get(held.id)) : null;
  if (held && why === null) return { id: held.id, name: held.name, replaces: null };
  return { id: covering?.id ?? null, name: covering?.name ?? null, replaces: held && why ? `#${held.id} ${why}` : null };
}
