/**
 * @module lab/ssh-target/sh-quote
 * Quoting of paths written into the targets' sshd configs, so that a temp folder named with a
 * quote or a space stays one literal word (the targets' shell scripts quote with core/shell-word).
 */

/** One argument of an sshd_config line: double-quoted, `"` and `\` escaped (OpenSSH's argv_split). */
export function sshdConfigQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
