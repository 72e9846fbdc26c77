/**
 * @module surfaces/cli/current-context-edit
 * The text of config.yaml with `current_context` set, every other byte as it was: the
 * value's own characters are replaced where it stands (its comment, the spacing before it
 * and the quotes it had stay), or a `current_context:` line is added at the end when the
 * file has none. Re-printing the whole document (yaml's `toString`) would move comments
 * (`contexts:   # labs here` onto a line of its own) and collapse spacing.
 */
import { isCollection, isMap, isScalar, stringify, type Document } from 'yaml';

/** `name` as a YAML value that reads back as that string (`office`; `"123"`, `"true"` quoted). */
function yamlWord(name: string, quote?: string): string {
  if (quote === 'QUOTE_DOUBLE') return JSON.stringify(name);
  if (quote === 'QUOTE_SINGLE') return `'${name.replace(/'/g, "''")}'`;
  return stringify(name).trimEnd();
}

/**
 * `text` (parsed as `doc`) with `current_context: <name>`. A value that is a block list or
 * map (no name at all, which every command refuses) is replaced by re-printing the
 * document, the one case where its layout may change.
 */
export function withCurrentContext(text: string, doc: Document, name: string): string {
  const top = doc.contents;
  const pair = isMap(top) ? top.items.find((p) => isScalar(p.key) && p.key.value === 'current_context') : undefined;
  const value = pair?.value;
  if (pair && (isScalar(value) || (isCollection(value) && value.flow)) && value.range) {
    const [start, end] = value.range;
    const word = yamlWord(name, isScalar(value) ? value.type : undefined);
    if (start !== end) return `${text.slice(0, start)}${word}${text.slice(end)}`;
    // `current_context:` with nothing after it (or only a comment): the word needs a space before, and one before a `#`.
    const before = /[ \t]/.test(text[start - 1] ?? '') ? '' : ' ';
    const after = text[start] === '#' ? ' ' : '';
    return `${text.slice(0, start)}${before}${word}${after}${text.slice(start)}`;
  }
  if (top === null || (isMap(top) && !top.flow && !pair)) {
    return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}current_context: ${yamlWord(name)}\n`;
  }
  doc.set('current_context', name);
  return doc.toString();
}
