/**
 * @module core/field-help
 * How help shows one option, the same on every surface that lists options (the CLI's
 * `--help`, the bot's `/<service> <verb> --help`): a switch that is on unless turned off is
 * `--[no-]x`, since its description says what it does when on (under `--no-x` alone it read
 * as the opposite), and the notes after a description: the choices, the default, "on by
 * default".
 */
import type { FieldInfo } from './args.js';

/** A switch that is on unless `--no-x`. */
export function isOnByDefault(f: FieldInfo): boolean {
  return f.kind === 'boolean' && f.defaultValue === true;
}

/** A switch's name as help shows it: `--[no-]wait` when on by default, else `--force`. */
export function switchName(f: FieldInfo): string {
  return isOnByDefault(f) ? `--[no-]${f.flag}` : `--${f.flag}`;
}

/** The field's description with its notes in parentheses: `seconds to wait (default 15)`. */
export function describedField(f: FieldInfo, description = f.description ?? ''): string {
  const notes = [
    f.choices ? `one of ${f.choices.join(', ')}` : '',
    f.defaultValue !== undefined && f.kind !== 'boolean' ? `default ${String(f.defaultValue)}` : '',
    isOnByDefault(f) && !/\bdefault\b/.test(description) ? 'on by default' : '',
  ].filter(Boolean).join('; ');
  return `${description}${notes ? ` (${notes})` : ''}`;
}
