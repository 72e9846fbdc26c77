/**
 * @module core/op-examples
 * An operation's help examples (`Operation.examples`, written for the command line) as each
 * surface may show them. Most are a command without its `homelab` prefix (`pve stop 200`);
 * some are shell lines, with a pipe or a redirection (`df -h | homelab telegram send`,
 * `services --markdown > SERVICES.md`). The CLI prefixes `homelab` unless the line names it
 * itself; the bot, which has no shell and refuses the inputs only the command line can give
 * (`cliOnlyInputs`: a lab file's path, `--detailed-exitcode`), shows neither kind
 * (surfaces/telegram/help). No imports: the CLI's help loads it without zod or any service.
 */

/** Characters that make a line a shell line when unquoted: a pipe, a list, a redirection, a substitution. */
const SHELL = new Set(['|', '&', ';', '<', '>', '`', '$']);

/**
 * The example's unquoted text split at its shell operators: the segments between them
 * (quotes kept, so each splits into words as the shell would; a redirection and its target
 * left out) and whether there were any. `df -h | homelab telegram send` → `df -h`,
 * `homelab telegram send`; `services --markdown > SERVICES.md` → `services --markdown`.
 */
export function exampleSegments(example: string): { parts: string[]; shell: boolean } {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  let shell = false;
  for (let i = 0; i < example.length; i++) {
    const c = example[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (SHELL.has(c)) {
      shell = true;
      if (c === '|' || c === ';' || c === '&') {
        parts.push(current);
        current = '';
      } else {
        // A redirection and its target are the shell's, not the command's: `> SERVICES.md`, `2>&1`.
        current = current.replace(/\s\d$/, ' ');
        const rest = /^[<>&\d\s]*\S*/.exec(example.slice(i + 1))?.[0] ?? '';
        i += rest.length;
      }
    } else {
      current += c;
    }
  }
  parts.push(current);
  return { parts: parts.map((p) => p.trim()).filter(Boolean), shell };
}

/** Whether the example names `homelab` itself (a shell line with it after a pipe). */
function namesHomelab(example: string): boolean {
  return exampleSegments(example).parts.some((p) => /^homelab(\s|$)/.test(p));
}

/** Whether the example is a shell line (a pipe, a redirection): the bot, which has no shell, never shows it. */
export function isShellExample(example: string): boolean {
  return exampleSegments(example).shell;
}

/** The example as the CLI's help prints it: `homelab ` before it, unless the line names homelab itself. */
export function cliExampleLine(example: string): string {
  return namesHomelab(example) ? example : `homelab ${example}`;
}
