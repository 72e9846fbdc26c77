/**
 * @module core/free-text
 * Marks an input schema whose value is free text: words a person writes, whose spaces and
 * line breaks are part of it (a TXT record's text, a comment, a description, a keyword, a
 * message, backup notes, SSH keys), as opposed to a name, an address or an id, whose
 * surrounding spaces are a slip of the paste. A surface that tidies what is typed (the
 * dashboard trims its text fields) leaves marked text as typed, and draws one of several
 * lines as a text area. The mark is explicit, never guessed from a length or a missing
 * pattern: an id may be long (a backup volume id), and free text may have no set length.
 * It is kept beside the schema (a zod registry of its own), so it never shows in the JSON
 * Schema of an MCP tool; a schema made from a marked one (`.describe()`, `.max()`,
 * `.optional()`) is still found marked.
 */
import { z } from 'zod';

/** How free text is written: on one line (a keyword), or in lines (a description, a message, SSH keys one per line). */
export type FreeTextLines = 'one line' | 'lines';

const marks = z.registry<{ freeText: FreeTextLines }>();

/** Marks `schema` as free text written as `lines` (default: in lines) and returns it. */
export function freeText<T extends z.ZodType>(schema: T, lines: FreeTextLines = 'lines'): T {
  marks.add(schema, { freeText: lines });
  return schema;
}

/** How the free text of a field's schema is written, looking through optional, nullable, default and pipe (a transform); undefined when it is not marked. */
export function freeTextOf(schema: z.ZodType): FreeTextLines | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const mark = marks.get(current)?.freeText;
    if (mark) return mark;
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    current = def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' ? def.innerType : def.type === 'pipe' ? def.in : undefined;
  }
  return undefined;
}
