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

const PATTERNS: [RegExp, string][] = [
  // The userinfo of any URL (`https://user:pass@host/`, `https://token@host/`).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@"'<>]+@/gi, '$1***@'],
  [/(PVEAPIToken[= ][^!\s]+![^=\s]+[=:])[^\s"']+/g, '$1***'],
  [/(PBSAPIToken[= ][^!\s]+![^:=\s]+[:=])[^\s"']+/g, '$1***'],
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
