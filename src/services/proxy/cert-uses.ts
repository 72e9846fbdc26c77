/**
 * @module services/proxy/cert-uses
 * Which hosts name a certificate. Proxy hosts, redirection hosts, 404 hosts and streams
 * all carry a `certificate_id` (sheet §5, §6): proxy hosts are named by their first domain
 * (what `proxy update` takes), the others with their kind (`redirection host old.home.lan`,
 * `404 host gone.home.lan`, `stream 2222`).
 */
import { AuthError } from '../../core/errors.js';
import type { NpmClient } from './client.js';

/** The hosts that name one certificate. */
export interface CertificateUses {
  /** First domains of the proxy hosts using it. */
  usedBy: string[];
  /** Redirection hosts, 404 hosts and streams using it, each with its kind. */
  otherUses: string[];
}

/** The uses of any certificate id, and the host types the account may not list (their uses are unknown). */
export interface CertificateUsesReader {
  (certificateId: number): CertificateUses;
  /** `redirection hosts`, `404 hosts`, `streams` the NPM account may not see (hidden by its permissions). */
  unread: string[];
}

/** Reads every host type once. A type the account may not list (403) counts as having no uses, and is named in `unread`. */
export async function readCertificateUses(client: NpmClient, signal: AbortSignal): Promise<CertificateUsesReader> {
  const unread: string[] = [];
  const orNone = <T>(kind: string, read: Promise<T[]>): Promise<T[]> => read.catch((err: unknown) => {
    if (!(err instanceof AuthError)) throw err;
    unread.push(kind);
    return [];
  });
  const [proxies, redirects, dead, streams] = await Promise.all([
    client.proxyHosts(signal), orNone('redirection hosts', client.redirectionHosts(signal)), orNone('404 hosts', client.deadHosts(signal)), orNone('streams', client.streams(signal)),
  ]);
  const named = <T extends { id: number; certificate_id?: number | string | undefined }>(list: readonly T[], id: number, name: (h: T) => string): string[] =>
    list.filter((h) => Number(h.certificate_id ?? 0) === id).map(name);
  const usesOf = (id: number): CertificateUses => ({
    usedBy: named(proxies, id, (h) => h.domain_names[0] ?? String(h.id)),
    otherUses: [
      ...named(redirects, id, (h) => `redirection host ${h.domain_names[0] ?? h.id}`),
      ...named(dead, id, (h) => `404 host ${h.domain_names[0] ?? h.id}`),
      ...named(streams, id, (h) => `stream ${h.incoming_port}`),
    ],
  });
  return Object.assign(usesOf, { unread });
}

/** Every use, proxy hosts first: `git.home.lan, redirection host old.home.lan`. */
export function allUses(uses: CertificateUses): string[] {
  return [...uses.usedBy, ...uses.otherUses];
}
