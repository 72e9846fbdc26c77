/**
 * @module surfaces/shared/daemon-flags
 * Flags of the daemon commands (`homelab mcp`, `homelab serve`, `homelab watch`), which are
 * not operations: words → a zod-validated options object, with `--flag value` and
 * `--flag=value` both accepted for the flags that take a value. An unknown option is named
 * first, with the command and the option a typo is close to (`unknown option --hst for serve
 * (did you mean --host?)`, `core/unknown-option`); a flag given twice with different values is refused, as for operations (`core/args`).
 *
 * In surfaces/shared/, the home of what more than one surface uses: a surface imports only
 * its own folder and this one, never another surface's modules, so no surface loads
 * another's code or closes an import cycle with it (test/services/import-cycles.test.ts
 * holds this).
 */
import type { z } from 'zod';
import { kebab, splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import { optionRefusal } from '../../core/unknown-option.js';

/**
 * Parses `words` into `schema`'s options. `valueFlags` lists the kebab-case flags that take a
 * value; `command` (`serve`, `serve passwd`) is named in the refusal of an unknown option.
 */
export function parseDaemonFlags<S extends z.ZodObject>(words: readonly string[], schema: S, valueFlags: readonly string[], command: string): { options: z.infer<S>; help: boolean } {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : undefined;
    if (name && valueFlags.includes(name)) {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(word);
  }
  const keys = Object.keys(schema.shape);
  const keyOf = (flag: string): string | undefined => keys.find((k) => kebab(k) === flag);
  const unknownOption = optionRefusal(command, [...keys.map(kebab), 'help'], `see: homelab ${command} --help`);
  // A value flag given twice with different values is refused (core/args); an unknown one is named before a stray word.
  const { positionals, flags } = splitWords(joined, { takesValue: (name) => valueFlags.includes(name), known: (name) => keyOf(name) !== undefined, unknownOption });
  const help = flags.has('help');
  flags.delete('help');
  const raw: Record<string, unknown> = {};
  for (const [flag, value] of flags) {
    const key = keyOf(flag);
    if (!key) throw unknownOption(`--${flag}`);
    raw[key] = value;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  return { options: parsed.data, help };
}
