/**
 * @module core/redact
 * Secrets never reach logs, errors, audit rows or output. Every credential value is
 * registered here when it is loaded; `redact` replaces each registered value (and
 * well-known secret shapes) in any text before it leaves the process.
 */

const secrets = new Set<string>();

/** Registers a secret value so that `redact` hides it everywhere. Short values (< 4 chars) are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

// Every pattern runs in linear time on any input (server text is hostile): a scheme is
// only tried where a run of scheme characters starts, and the parts before a token's
// secret are bounded, so no input makes a pattern rescan a long run from each position.
const PATTERNS: [RegExp, string][] = [
  // The userinfo of any URL (`https://user:pass@host/`, `https://token@host/`), up to its
  // last `@` (a password may hold one: `https://admin:p@ss@host/`).
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^/?#\s"'<>]*@/gi, '$1***@'],
  [/(PVEAPIToken[= ][^!\s]{1,128}![^=\s]{1,128}[=:])[^\s"']+/g, '$1***'],
  [/(PBSAPIToken[= ][^!\s]{1,128}![^:=\s]{1,128}[:=])[^\s"']+/g, '$1***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***'],
  [/(PVEAuthCookie=)[^\s;"']+/g, '$1***'],
  [/([?&](?:token|password|pass|secret|api_key|apikey)=)[^&\s"']+/gi, '$1***'],
  [/(bot)\d+:[A-Za-z0-9_-]{20,}/g, '$1***'],
];

/** Returns `text` with every registered secret and known secret pattern replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** How far around a cut a secret shape is looked for (a URL's userinfo, a token). */
const SHAPE_REACH = 512;

/**
 * Where to cut `text` to keep at most `limit` characters without splitting a secret: a
 * registered secret or a secret shape that straddles `limit` is cut away whole, so
 * `redact(text.slice(0, cut))` never shows the beginning of a secret. Cut text before
 * redacting it with this, never with a bare `slice`.
 */
export function secretSafeCut(text: string, limit: number): number {
  let cut = Math.max(0, limit);
  while (cut < text.length) {
    let next = cut;
    for (const secret of secrets) {
      const from = Math.max(0, cut - secret.length + 1);
      const at = text.slice(from, cut + secret.length - 1).indexOf(secret);
      if (at !== -1) next = Math.min(next, from + at);
    }
    const from = Math.max(0, cut - SHAPE_REACH);
    const around = text.slice(from, cut + SHAPE_REACH);
    for (const [pattern] of PATTERNS) {
      for (const m of around.matchAll(pattern)) {
        if (from + m.index < cut && from + m.index + m[0].length > cut) next = Math.min(next, from + m.index);
      }
    }
    if (next === cut) break;
    cut = next;
  }
  return Math.min(cut, text.length);
}

/** Keys whose values are secrets wherever they appear in structured data. */
const SECRET_KEY = /(pass(word)?|secret|token|api_?key|private|cookie|authorization|totp|otp)$/i;

/** Deep-copies a JSON-like value with secret-looking keys and registered secrets masked. */
export function redactValue<T>(value: T): T {
  return walk(value) as T;
  function walk(v: unknown): unknown {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, SECRET_KEY.test(k) && x != null && x !== '' ? '***' : walk(x)]),
      );
    }
    return v;
  }
}
