/**
 * @module surfaces/number-flag
 * The whole-number flags of the commands that are not operations (`homelab serve --port`,
 * `homelab mcp --port`, `homelab lab --latency`): read as the operations read a number
 * (`core/words`), plain decimal digits only, so `0x50`, `1e3`, `+80`, `" 80"`, `80.0` and
 * an empty value are refused with the flag's own message (exit 2), never read as another number.
 */
import { z } from 'zod';
import { decimalFromWord } from '../core/words.js';

/**
 * A zod schema for a flag's value: a whole number from `min` to `max` written in plain
 * decimal, else one issue with `message` (which names the flag and what it takes).
 */
export function wholeNumberFlag(min: number, max: number, message: string): z.ZodType<number, unknown> {
  return z.unknown().transform((value, ctx) => {
    // Digits only: `-0` would be 0 (a free port) and a sign is no part of a count.
    const n = typeof value === 'string' && /^\d+$/.test(value) ? decimalFromWord(value, true) : undefined;
    if (n === undefined || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}
