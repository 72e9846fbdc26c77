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

const APP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const FOUND = /managed-by: homelab app=([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?![a-z0-9-])/i;

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

/** The app a text's marker names, or null when the text carries no marker. */
export function markedApp(text: string | null | undefined): string | null {
  const found = text ? FOUND.exec(text) : null;
  return found ? (found[1] as string).toLowerCase() : null;
}

/** `text` with the marker of `app` appended (` · ` between), or the marker alone. */
export function withMarker(text: string | null | undefined, app: string, separator = ' · '): string {
  return text ? `${text}${separator}${markerText(app)}` : markerText(app);
}
