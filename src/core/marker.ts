/**
 * @module core/marker
 * The marker homelab leaves on the objects it creates in other services, so that it
 * recognises what it manages and never touches what it did not create. One text for
 * every service, kept where that service keeps free text: a DNS record's comment, an
 * Uptime Kuma monitor's description, a comment line in an NPM proxy host's advanced
 * config (`# managed-by: homelab app=wiki`). The app name groups the objects of one
 * exposed app (`homelab exposed`). See docs/markers.md.
 */
import { z } from 'zod';

/** What every marker starts with. */
export const MARKER_PREFIX = 'managed-by: homelab';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const APP = new RegExp(`^${LABEL}$`);
/** A marker only counts where homelab writes it, never as words inside other text (`NOT managed-by: …`). */
const IN_TEXT = (body: string): RegExp => new RegExp(`(?:^|\\s·\\s)${body}\\s*(?=$|\\s·\\s)`, 'i');
const AS_LINE = (body: string): RegExp => new RegExp(`^[ \\t]*#[ \\t]*${body}[ \\t]*\\r?$`, 'im');
const APP_IN_TEXT = IN_TEXT(`managed-by: homelab app=(${LABEL})`);
const APP_AS_LINE = AS_LINE(`managed-by: homelab app=(${LABEL})`);

/** An app name: one DNS label, lower case (`wiki`, `git-mirror`). */
export const appNameSchema = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => APP.test(v), { message: 'must be one DNS label: letters, digits and inner hyphens, up to 63 characters (e.g. wiki)' })
  .describe('app name (one DNS label)');

/**
 * The name of an app being made (`expose`): an app name that is not only digits, since the
 * app's Kuma monitor is named after it and a monitor handle made of digits is read as its id.
 * An app that has such a name already is still found by `appNameSchema` (unexpose, `--app`).
 */
export const newAppNameSchema = appNameSchema
  .refine((v) => !/^\d+$/.test(v), { message: 'must not be only digits: a number is read as a monitor id (e.g. app2)' })
  .describe('app name (one DNS label)');

/** The marker text for an app: `managed-by: homelab app=wiki`. */
export function markerText(app: string): string {
  return `${MARKER_PREFIX} app=${app.toLowerCase()}`;
}

/** The marker as an nginx comment line: `# managed-by: homelab app=wiki`. */
export function markerLine(app: string): string {
  return `# ${markerText(app)}`;
}

/**
 * The app a comment's or description's marker names, or null when it carries none. The
 * marker counts only in the form homelab writes there: the whole text, or one of its parts
 * joined by the ` · ` separator (`team pad · managed-by: homelab app=pad`, also with more text
 * after another ` · `). Text that merely mentions it (`NOT managed-by: homelab app=pad`)
 * carries no marker. For an nginx config use `configMarkedApp`.
 */
export function markedApp(text: string | null | undefined): string | null {
  const found = text ? APP_IN_TEXT.exec(text) : null;
  return found ? (found[1] as string).toLowerCase() : null;
}

/**
 * The app an nginx config's marker names (an NPM proxy host's `advanced_config`), or null.
 * There the marker counts only as a comment line of its own (`# managed-by: homelab app=pad`):
 * the ` · ` form of comments does not, since it can sit inside a directive that nginx acts on
 * (`return 200 "a · managed-by: homelab app=pad · b";`).
 */
export function configMarkedApp(config: string | null | undefined): string | null {
  const found = config ? APP_AS_LINE.exec(config) : null;
  return found ? (found[1] as string).toLowerCase() : null;
}

/** Whether a comment `text` carries the marker `marker` (e.g. `managed-by: homelab record`) in the form homelab writes (see `markedApp`). */
export function hasMarker(text: string | null | undefined, marker: string): boolean {
  return Boolean(text && IN_TEXT(escaped(marker)).test(text));
}

/** `marker` as words in any form: any case, any spacing (`Managed-By:homelab  record`), not inside a longer word. */
const asWords = (marker: string): string =>
  `(?<![a-z0-9-])${escaped(marker).replace(/:\s*/g, ':\\s*').replace(/ +/g, '\\s+')}(?![a-z0-9-])`;
const SEPARATOR = /[\s;,·|#/-]/;
/** The marker's words in any form, also in brackets (`(managed-by: homelab record)`). */
const wordsOrBracketed = (marker: string): RegExp =>
  new RegExp(`\\(\\s*${asWords(marker)}\\s*\\)|\\[\\s*${asWords(marker)}\\s*\\]|${asWords(marker)}`, 'gi');

/** `part` without separators at either end (a loop: an unanchored `SEP+$` is quadratic on a long run of them). */
function trimSeparators(part: string): string {
  let start = 0;
  let end = part.length;
  while (start < end && SEPARATOR.test(part[start] as string)) start++;
  while (end > start && SEPARATOR.test(part[end - 1] as string)) end--;
  return part.slice(start, end);
}

/**
 * Whether a comment `text` holds `marker` as words in a form that does not count
 * (`NAS; managed-by: homelab record`): a hint for the user, never a reason to treat the
 * object as homelab's.
 */
export function mentionsMarker(text: string | null | undefined, marker: string): boolean {
  return Boolean(text && !hasMarker(text, marker) && new RegExp(asWords(marker), 'i').test(text));
}

/**
 * Whether every place `marker`'s words hold in `text` starts it or follows a separator
 * other than a space (`NAS; managed-by: homelab record`, `managed-by: homelab record (nas)`):
 * then the text around them is a note beside the marker. Words just before them
 * (`NOT managed-by: homelab record`) may say the opposite.
 */
export function markerStandsApart(text: string | null | undefined, marker: string): boolean {
  for (const found of (text ?? '').matchAll(wordsOrBracketed(marker))) {
    const before = (text ?? '').slice(0, found.index).trimEnd();
    if (before && !';,·|#/-'.includes(before.at(-1) as string)) return false;
  }
  return true;
}

/**
 * A comment's own text, `marker` taken out in whatever form it is there, the parts around it
 * joined by ` · `: `NAS; managed-by: homelab record; backups` → `NAS · backups`,
 * `managed-by: homelab record (nas)` → `nas`. Linear in the text's length.
 */
export function ownText(text: string | null | undefined, marker: string): string {
  const own = (text ?? '').split(wordsOrBracketed(marker)).map(trimSeparators).filter(Boolean).join(' · ').replace(/\s+/g, ' ');
  return /^\([^()]*\)$/.test(own) ? own.slice(1, -1).trim() : own;
}

/** `marker` as the text of a regular expression. */
function escaped(marker: string): string {
  return marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with the marker of `app` appended (` · ` between), or the marker alone. */
export function withMarker(text: string | null | undefined, app: string, separator = ' · '): string {
  return text ? `${text}${separator}${markerText(app)}` : markerText(app);
}
