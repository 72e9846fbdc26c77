/**
 * @module services/pbs/sim/rust-regex
 * PBS schema patterns are Rust `regex` syntax wrapped in slashes (SOURCES.md): this
 * turns one into a JavaScript RegExp — slashes stripped, `(?P<name>` named groups,
 * POSIX classes (`[:cntrl:]`, `[:^cntrl:]`) and a leading `(?m)` flag rewritten.
 */

const cache = new Map<string, RegExp>();

/** The JavaScript RegExp for a PBS schema pattern (cached). */
export function rustRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    let source = pattern.startsWith('/') && pattern.lastIndexOf('/') > 0 ? pattern.slice(1, pattern.lastIndexOf('/')) : pattern;
    let flags = 'u';
    if (source.startsWith('(?m)')) {
      source = source.slice(4);
      flags += 'm';
    }
    source = source
      .replace(/\(\?P</g, '(?<')
      .replace(/\[\[:\^cntrl:\]\]/g, '[^\\p{Cc}]')
      .replace(/\[:\^cntrl:\]/g, '\\P{Cc}')
      .replace(/\[:cntrl:\]/g, '\\p{Cc}');
    re = new RegExp(source, flags);
    cache.set(pattern, re);
  }
  return re;
}
