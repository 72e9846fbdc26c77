/**
 * @module core/config-keys
 * Config sections that refuse keys they do not know, so a typo surfaces instead of being
 * dropped (`fingerprnt:` silently leaving no pin): `z.strictObject(shape, { error: unknownKeys })`.
 * The message is zod's (`Unrecognized key: "fingerprnt"`), with the known key a typo is
 * close to: `Unrecognized key: "fingerprnt" (did you mean "fingerprint"?)`. The known keys
 * are read from the schema that refused them, so a section `.extend`ed by its service
 * suggests the service's keys too.
 */
import type { z } from 'zod';
import { closestWord } from './closest-word.js';

/** Error map of a strict config section: zod's message for an unknown key, with the close known key; other issues keep theirs. */
export const unknownKeys: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape ?? {};
  const known = Object.keys(shape);
  const named = issue.keys.map((key) => {
    const close = closestWord(key, known);
    return `"${key}"${close ? ` (did you mean "${close}"?)` : ''}`;
  });
  return `Unrecognized key${issue.keys.length === 1 ? '' : 's'}: ${named.join(', ')}`;
};
