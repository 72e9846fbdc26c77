/**
 * @module core/shell-word
 * One value written as a single word of a POSIX shell command line (sh, bash, zsh): as it is
 * when it holds only characters no shell treats specially, else in single quotes (a quote
 * inside written `'\''`). The commands homelab prints for people to run (a fix, the re-run
 * that finishes a plan, `mkdir -p <folder>`) quote their values with it, so that pasting one
 * runs exactly what was printed. Brackets are quoted (`'[fd00::5]:3000'`): zsh treats an
 * unmatched glob as an error.
 *
 * The one quoting of homelab's command lines: every word a service gave (a Beszel system's or
 * a Kuma monitor's name, a domain, a record's value) goes through it, wherever the line is
 * shown (the CLI, check's fixes on the dashboard, in watch's alerts, over MCP and the bot), so
 * a name holding `$(…)`, a backtick or a quote runs nothing when the line is pasted. Never
 * `shownWord` (core/words), whose double quotes a shell expands inside.
 */

const SAFE = /^[\w@%+=:,./-]+$/;

/** `value` as one word of a POSIX shell command line (`''` for the empty string). */
export function shellWord(value: string): string {
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
