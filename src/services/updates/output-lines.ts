/**
 * @module services/updates/output-lines
 * A guest's output as homelab shows it: the last few lines, each cut to a length a
 * terminal line and a JSON reader can take (a guest may send megabytes without a
 * newline), without the probe's own `@@` markers or apt's CLI warning; and the hint that
 * the SSH user must be root when the package manager said it is not.
 */
import { LINE_CUT, MAX_LINE } from './ssh/session.js';

/** The longest detail line shown; a longer one is cut and says so. */
export const MAX_DETAIL = 200;

/** apt's note on every `apt list` run (its stderr is kept so that a failure shows why). */
const APT_CLI_WARNING = /^WARNING: apt does not have a stable CLI interface/;

/** The probe's section markers (`@@rc 0`, `@@end`): never a guest's words. */
const MARKER = /^@@\S+/;

/** One line cut to MAX_DETAIL characters, saying how long it was (or that the session had cut it at MAX_LINE already). */
export function cutLine(line: string): string {
  if (line.length <= MAX_DETAIL) return line;
  const length = line.endsWith(LINE_CUT) ? `over ${MAX_LINE}` : String(line.length);
  return `${line.slice(0, MAX_DETAIL)} … (cut, ${length} characters)`;
}

/** The last `n` lines worth showing of `text` (or of `lines`, as the guest sent them), each cut to MAX_DETAIL once. */
export function detailLines(text: string | readonly string[], n = 5): string[] {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  return lines.map((l) => l.trimEnd()).filter((l) => l && !APT_CLI_WARNING.test(l) && !MARKER.test(l)).slice(-n).map(cutLine);
}

/** apt, dpkg, dnf, apk and pacman when not run as root. */
const NOT_ROOT = /are you root\?|Permission denied|must be run as root|This command has to be run with superuser privileges|Operation not permitted|unless you are root/i;

/**
 * The hint for output that says the package manager lacked root, else undefined; never for
 * `user` root (root in an unprivileged container is refused things too, for other reasons).
 */
export function rootHint(lines: readonly string[], user: string): string | undefined {
  if (user === 'root') return undefined;
  return lines.some((l) => NOT_ROOT.test(l)) ? 'the SSH user must be root (homelab does not use sudo): set user: root for this target under ssh.targets' : undefined;
}
