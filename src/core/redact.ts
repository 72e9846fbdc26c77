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
  // Longest first: a secret that holds a shorter one (a bot token holding its bot id) is hidden whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
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

/**
 * Words that make a key a secret's key when the key ends with them: `password`,
 * `apiToken`, `PVE_TOKEN_SECRET`, `pass`, `api_key`, `sessionCookie`, `ticket` (PVE's auth
 * ticket), `privkey`, and the plurals (`passwords`, `secrets`, `tokens`). Whole words only
 * (a key is split at `_`, `-`, `.`, spaces and camelCase humps), so `bypass`, `compass`,
 * `passed` or `tokenId` are not secrets' keys.
 */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pass', 'secret', 'token', 'apikey', 'private', 'cookie', 'authorization', 'totp', 'otp', 'ticket', 'privkey',
  'passwords', 'passwds', 'passphrases', 'secrets', 'tokens', 'apikeys', 'cookies', 'tickets', 'privkeys',
]);

/**
 * Endings that make a key a secret's key even inside one lowercase word: `cipassword`
 * (PVE's cloud-init password), `apitoken`, `topsecret`, `sslprivkey`, plurals too. `pass`
 * is not among them, so `bypass` and `compass` stay plain keys.
 */
const SECRET_ENDINGS = /(password|passwd|passphrase|secret|token|apikey|privkey)s?$/;

/**
 * Words that make a key ending in `key` (or `keys`) a secret's key: `api_key`, `privateKey`,
 * `secretKey`, `accessKey`, `certificate_key`; `ssh_key` in the singular only (`sshKeys` is
 * how many keys a guest was given).
 */
const KEY_QUALIFIERS = new Set(['api', 'private', 'secret', 'access', 'certificate']);

/** The words of a key, lower case: `apiToken` → `api token`, `PVE_TOKEN_SECRET` → `pve token secret`. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether a key of structured data names a secret: its last word is a secret word, or
 * its lowercase form ends in `password`, `passwd`, `passphrase`, `secret`, `token` or `apikey`.
 */
export function isSecretKey(key: string): boolean {
  if (SECRET_ENDINGS.test(key.toLowerCase())) return true;
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const qualifier = words.at(-2) ?? '';
  return (last === 'key' && (KEY_QUALIFIERS.has(qualifier) || qualifier === 'ssh')) || (last === 'keys' && KEY_QUALIFIERS.has(qualifier));
}

/**
 * How much a key masks below it: nothing, only strings (`counts.pass`, doctor's count of
 * passed checks), or every value but null, booleans and ''.
 */
type Mask = 'none' | 'strings' | 'all';

/** How much `key` (in an object under `parentKey`) masks below it, given how much its parent already masks. */
function maskBelow(key: string, parent: Mask, parentKey: string | undefined): Mask {
  if (parent === 'all' || !isSecretKey(key)) return parent;
  return key.toLowerCase() === 'pass' && parentKey === 'counts' ? 'strings' : 'all';
}

/**
 * Deep-copies a JSON-like value with registered secrets masked, and every value under a
 * secret's key (at any depth below it) replaced by `***`: strings but '', and numbers
 * (`{otp: 123456}`, YAML's `password: 4242`, `{pass: 4242}`). Booleans and null stay as
 * they are. Under `counts.pass` only strings are masked: doctor's `counts.pass` is a count.
 */
export function redactValue<T>(value: T): T {
  return walk(value, 'none', undefined) as T;
  function walk(v: unknown, mask: Mask, key: string | undefined): unknown {
    if (typeof v === 'string') return mask !== 'none' && v !== '' ? '***' : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, mask, key));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, maskBelow(k, mask, key), k)]));
    }
    if (mask === 'all' && (typeof v === 'number' || typeof v === 'bigint')) return '***';
    return v;
  }
}
