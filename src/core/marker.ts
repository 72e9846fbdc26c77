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

/** The marker text for an app: `managed-by: homelab app=wiki`. */
export function markerText(app: string): string {
  return `${MARKER_PREFIX} app=${app.toLowerCase()}`;
}

/** The marker as an nginx comment line: `# managed-by: homelab app=wiki`. */
export function markerLine(app: string): string {
  return `# ${markerText(app)}`;
}

/**
 * The app a text's marker names, or null when the text carries no marker. The marker counts
 * only in the forms homelab writes: a comment or description that is the marker, or ends or
 * goes on with it after the ` · ` separator (`team pad · managed-by: homelab app=pad`); or a
 * comment line of its own in an nginx config (`# managed-by: homelab app=pad`). Text that
 * merely mentions it (`NOT managed-by: homelab app=pad`) carries no marker.
 */
export function markedApp(text: string | null | undefined): string | null {
  const found = text ? APP_IN_TEXT.exec(text) ?? APP_AS_LINE.exec(text) : null;
  return found ? (found[1] as string).toLowerCase() : null;
}

/** Whether `text` carries the marker `marker` (e.g. `managed-by: homelab record`) where homelab writes it (see `markedApp`). */
export function hasMarker(text: string | null | undefined, marker: string): boolean {
  const body = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Boolean(text && (IN_TEXT(body).test(text) || AS_LINE(body).test(text)));
}

/** `text` with the marker of `app` appended (` · ` between), or the marker alone. */
export function withMarker(text: string | null | undefined, app: string, separator = ' · '): string {
  return text ? `${text}${separator}${markerText(app)}` : markerText(app);
}
