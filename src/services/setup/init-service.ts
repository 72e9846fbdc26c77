/**
 * @module services/setup/init-service
 * What `homelab init` asks about one service and the section and credentials that come of
 * it: its URL (as its config schema takes it), the server's certificate to pin for https
 * (a pin is kept only while the URL's origin stays the same: a new address, or http://,
 * drops it), which set of credentials when there are alternatives, and each value; then
 * for Technitium the default zone (offering the zones the server lists with those
 * credentials), and for Telegram who owns the bot and who else may use it.
 */
import { UsageError } from '../../core/errors.js';
import { fetchFingerprint, normaliseFingerprint } from '../../core/http/tls.js';
import { registerSecret } from '../../core/redact.js';
import { isZoneName } from '../dns/names.js';
import { telegramConfigSchema } from '../telegram/config.js';
import { serverZones } from './init-dns-zones.js';
import type { Section } from './init-config.js';
import { askChoice, askUrl, askValue, askYes, ATTEMPTS, type Ask } from './init-questions.js';
import type { ServiceSpec } from './service-specs.js';

/** A service's answers: its config section (the lab's `services.<key>`, or `telegram`) and its credentials. */
export interface ServiceAnswer {
  section: Section;
  values: Record<string, string>;
}

/** The origin (`https://host:port`) of a URL, or undefined for one that is not. */
function originOf(url: unknown): string | undefined {
  try {
    return typeof url === 'string' ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks for one service (`at`: its section's key path in config.yaml, for the hints);
 * `section` and `creds` are its current values, offered and kept on Enter.
 */
export async function askService(ask: Ask, spec: ServiceSpec, at: string, section: Section | undefined, creds: Record<string, string>, signal: AbortSignal): Promise<ServiceAnswer> {
  const next: Section = { ...(section ?? {}) };
  if (spec.key !== 'telegram') {
    const url = await askUrl(ask, spec, typeof section?.url === 'string' ? section.url : undefined);
    // A pin belongs to one server: another origin (or http://, which a pin cannot guard) drops it.
    if (originOf(url) !== originOf(section?.url)) delete next.fingerprint;
    next.url = url;
    if (/^https:/i.test(url)) await offerPin(ask, url, at, next);
  }
  const values = await askCredentials(ask, spec, creds);
  if (spec.key === 'dns') await askZone(ask, next, values, signal);
  if (spec.key === 'telegram') await askPeople(ask, next);
  return { section: next, values };
}

/**
 * Offers the server's certificate fingerprint to pin (`next.fingerprint`); says where to set
 * it when it cannot be read. A pin kept from before that the server's certificate no longer
 * matches (it was renewed) is dropped when the new one is declined, as the question says:
 * kept, every command would refuse the server.
 */
async function offerPin(ask: Ask, url: string, at: string, next: Section): Promise<void> {
  const fp = await fetchFingerprint(url, 5000).catch((err: unknown) => err as Error);
  if (typeof fp === 'string') {
    const old = typeof next.fingerprint === 'string' ? next.fingerprint : undefined;
    const stale = old !== undefined && normaliseFingerprint(old) !== normaliseFingerprint(fp);
    const question = stale
      ? `  The server's certificate fingerprint is ${fp}; the pinned ${old} no longer matches it (no answers drops that pin). Pin the new one?`
      : `  The server's certificate fingerprint is ${fp}. Pin it?`;
    if (await askYes(ask, question, true)) next.fingerprint = fp;
    else if (stale) delete next.fingerprint;
  } else {
    await ask(`  Could not read the certificate (${fp.message}); set ${at}.fingerprint later (Enter to go on)`);
  }
}

/** The credentials: which set (when there are alternatives; the one the current file completes is the default), then each value. */
async function askCredentials(ask: Ask, spec: ServiceSpec, creds: Record<string, string>): Promise<Record<string, string>> {
  let keys = [...spec.required];
  if (spec.anyOf?.length) {
    const sets = spec.anyOf;
    const completed = Math.max(0, sets.findIndex((set) => set.every((k) => creds[k])));
    const chosen = sets.length > 1 ? await askChoice(ask, 'Credentials', sets.map((set) => set.join(' + ')), completed) : 0;
    keys = [...keys, ...(sets[chosen] ?? [])];
  }
  const values: Record<string, string> = {};
  for (const key of [...keys, ...(spec.optional ?? [])]) {
    const value = await askValue(ask, spec, key, !keys.includes(key), creds[key]);
    if (value) {
      registerSecret(value);
      values[key] = value;
    }
  }
  return values;
}

/**
 * The default zone (`zone`), which relative names (`dns add myhost …`) need: Enter keeps the
 * current one, else takes the first zone the server lists; with neither it stays unset.
 */
async function askZone(ask: Ask, next: Section, values: Record<string, string>, signal: AbortSignal): Promise<void> {
  const zones = await serverZones(String(next.url), typeof next.fingerprint === 'string' ? next.fingerprint : undefined, values, signal);
  const offered = typeof next.zone === 'string' ? next.zone : zones[0];
  const listed = zones.length ? `the server has ${zones.slice(0, 6).join(', ')}${zones.length > 6 ? ', …' : ''}` : 'like home.lan';
  let question = `  Default zone, for names like myhost (${listed}; ${offered ? `Enter for ${offered}` : 'Enter to leave it unset'}):`;
  for (let attempt = 1; ; attempt++) {
    const zone = (await ask(question)).trim().replace(/\.$/, '').toLowerCase() || offered;
    if (!zone) {
      delete next.zone;
      return;
    }
    if (isZoneName(zone)) {
      next.zone = zone;
      return;
    }
    if (attempt >= ATTEMPTS) throw new UsageError(`"${zone}" is not a zone name like home.lan`, 'run homelab init again');
    question = `  "${zone}" is not a zone name like home.lan. Default zone (${offered ? `Enter for ${offered}` : 'Enter to leave it unset'}):`;
  }
}

/** One Telegram user id as the `telegram:` config schema takes it (positive, a safe integer, not an id Telegram shares). */
const USER_ID = telegramConfigSchema.shape.allowed_users.unwrap().element;

/** Whether `id` is a Telegram user id the config takes. */
const isUserId = (id: number): boolean => USER_ID.safeParse(id).success;

/**
 * Telegram ids as typed: whole numbers, separated by spaces or commas, each one the
 * `telegram:` config schema takes; else why the first that is not is refused (its reason).
 */
function parseIds(text: string): number[] | string {
  const ids: number[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d+$/.test(word)) return `"${word}" is not a number`;
    const parsed = USER_ID.safeParse(Number(word));
    if (!parsed.success) return `${word} is not a Telegram user id the config takes (${parsed.error.issues[0]?.message ?? 'refused'})`;
    ids.push(parsed.data);
  }
  return ids;
}

/** Asks ids until they are ones the config takes (`single`: exactly one), saying why not; Enter returns `current`. */
async function askIds(ask: Ask, question: string, current: number[], single: boolean): Promise<number[]> {
  let shown = question;
  for (let attempt = 1; ; attempt++) {
    const answer = (await ask(shown)).trim();
    if (!answer) return current;
    const ids = parseIds(answer);
    if (typeof ids !== 'string' && (!single || ids.length === 1)) return ids;
    const problem = typeof ids === 'string' ? ids : `"${answer}" is not one id`;
    if (attempt >= ATTEMPTS) throw new UsageError(problem, 'run homelab init again');
    shown = `  ${problem}.${question.replace(/^ {2}/, ' ')}`;
  }
}

/** The ids of a config value the schema takes (those it refuses are not offered to keep). */
const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number' && isUserId(v)) : []);

/**
 * Who the bot is for: `owner_chat_id` (the owner's user id: alerts, `telegram send` and
 * refused strangers go there; the owner may use the bot) and `allowed_users` (the owner and
 * the other ids given). Enter keeps what is set; left unset, doctor warns.
 */
async function askPeople(ask: Ask, next: Section): Promise<void> {
  const owner = typeof next.owner_chat_id === 'number' && isUserId(next.owner_chat_id) ? next.owner_chat_id : undefined;
  const [id] = await askIds(ask, `  Your Telegram user id, for alerts and to use the bot (a number; @userinfobot replies with yours; ${owner === undefined ? 'Enter to skip' : `Enter keeps ${owner}`}):`, owner === undefined ? [] : [owner], true);
  const others = numbers(next.allowed_users).filter((u) => u !== id);
  const more = await askIds(ask, `  Other Telegram user ids that may use the bot (separated by spaces; ${others.length ? `Enter keeps ${others.join(' ')}` : 'Enter for none'}):`, others, false);
  if (id !== undefined) next.owner_chat_id = id;
  else delete next.owner_chat_id; // unset, or one the schema refuses: not kept
  const allowed = [...new Set([...(id !== undefined ? [id] : []), ...more])];
  if (allowed.length || next.allowed_users !== undefined) next.allowed_users = allowed;
}
