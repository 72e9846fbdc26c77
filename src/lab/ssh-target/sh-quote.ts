/**
 * @module lab/ssh-target/sh-quote
 * Quoting of paths written into the targets' shell scripts and sshd configs, so that a
 * temp folder named with a quote, a space or `$(…)` stays one literal word.
 */

/** One word for POSIX sh: single-quoted, each `'` written as `'\''`. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** One argument of an sshd_config line: double-quoted, `"` and `\` escaped (OpenSSH's argv_split). */
export function sshdConfigQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
