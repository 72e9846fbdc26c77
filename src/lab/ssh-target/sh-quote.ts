/**
 * @module lab/ssh-target/sh-quote
 * Quoting of paths written into the targets' shell scripts and sshd configs, so that a
 * temp folder named with a quote, a space or `$(…)` stays one literal word.
 */
import { shellWord } from '../../core/shell-word.js';

/** One word for POSIX sh: homelab's one shell quoting (core/shell-word: single quotes, each `'` written as `'\''`). */
export const shQuote: (text: string) => string = shellWord;

/** One argument of an sshd_config line: double-quoted, `"` and `\` escaped (OpenSSH's argv_split). */
export function sshdConfigQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
