/**
 * @module surfaces/telegram/command-line
 * Reads a command message: `/pve@homelab_bot start 105 --no-wait` → name `pve`, the
 * bot it is addressed to, and the words. Words may be quoted ("…" or '…'); the long
 * dash phones put in place of `--` is read as `--`.
 */

/** A parsed command message. */
export interface CommandLine {
  /** Lower-case command name without the slash. */
  name: string;
  /** `@bot` suffix, when the command was addressed to a bot by name. */
  bot?: string;
  words: string[];
}

/** Splits text into words; quotes group words, and are removed. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const word = m[1] ?? m[2] ?? (m[3] as string);
    words.push(m[3] !== undefined ? word.replace(/^[\u2014\u2013]/, '--') : word);
  }
  return words;
}

/** Parses a command message; undefined when the text is not a command. */
export function parseCommandLine(text: string): CommandLine | undefined {
  const m = /^\/([A-Za-z0-9_-]{1,64})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  const line: CommandLine = { name: (m[1] as string).toLowerCase(), words: tokenize(m[3] ?? '') };
  if (m[2]) line.bot = m[2];
  return line;
}
