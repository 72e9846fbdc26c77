/**
 * @module core/cert-names
 * Which names a TLS certificate serves (pure, no service imports): a name listed on the
 * certificate covers itself, and a one-label wildcard (`*.home.lan`) covers every name one
 * label below it (`wiki.home.lan`, not `home.lan` nor `a.wiki.home.lan`). Case and a
 * trailing dot do not matter.
 */

const canonical = (name: string): string => name.trim().replace(/\.$/, '').toLowerCase();

/** Whether certificate name `pattern` (`wiki.home.lan`, or a one-label wildcard `*.home.lan`) covers `domain`. */
export function covers(pattern: string, domain: string): boolean {
  const p = canonical(pattern);
  const d = canonical(domain);
  if (!p.startsWith('*.')) return p === d;
  const dot = d.indexOf('.');
  return dot > 0 && d.slice(dot + 1) === p.slice(2);
}
