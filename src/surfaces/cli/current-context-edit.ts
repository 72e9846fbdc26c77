/**
 * @module surfaces/cli/current-context-edit
 * The text of config.yaml with `current_context` set, every other byte as it was where the
 * layout allows: the value's own characters are replaced where it stands (its comment, the
 * spacing before it and the quotes it had stay), or a `current_context:` line is added at the
 * end (in the file's own line ending) when the file has none, or the pair is added inside a
 * one-line flow map. Re-printing the whole document (yaml's `toString`) would move comments
 * (`contexts:   # labs here` onto a line of its own) and collapse spacing, so it is the
 * fallback only: whenever the edited text does not read back as the old document with
 * `current_context` set (a block scalar value, a file ending in `...`, an indented
 * top-level map, …), the document is re-printed instead.
 */
import { isDeepStrictEqual } from 'node:util';
import { isCollection, isMap, isScalar, parseDocument, stringify, type Document } from 'yaml';

/** `name` as a YAML value that reads back as that string (`office`; `"123"`, `"true"` quoted). */
function yamlWord(name: string, quote?: string): string {
  if (quote === 'QUOTE_DOUBLE') return JSON.stringify(name);
  if (quote === 'QUOTE_SINGLE') return `'${name.replace(/'/g, "''")}'`;
  return stringify(name).trimEnd();
}

/** The line ending `text` uses (`\r\n` when any line ends so). */
const eolOf = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

/** The document's data without `current_context` (what an edit must leave as it was). */
function rest(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'current_context'));
}

/** The edit made in place in `text`, or undefined when the layout leaves no place for it. */
function editInPlace(text: string, doc: Document, name: string): string | undefined {
  const top = doc.contents;
  const pair = isMap(top) ? top.items.find((p) => isScalar(p.key) && p.key.value === 'current_context') : undefined;
  const value = pair?.value;
  const block = isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED');
  if (pair && !block && (isScalar(value) || (isCollection(value) && value.flow)) && value.range) {
    const [start, end] = value.range;
    const word = yamlWord(name, isScalar(value) ? value.type : undefined);
    if (start !== end) return `${text.slice(0, start)}${word}${text.slice(end)}`;
    // `current_context:` with nothing after it (or only a comment): the word needs a space before, and one before a `#`.
    const before = /[ \t]/.test(text[start - 1] ?? '') ? '' : ' ';
    const after = text[start] === '#' ? ' ' : '';
    return `${text.slice(0, start)}${before}${word}${after}${text.slice(start)}`;
  }
  if (pair) return undefined;
  if (top === null || (isMap(top) && !top.flow)) {
    return `${text}${text === '' || text.endsWith('\n') ? '' : eolOf(text)}current_context: ${yamlWord(name)}${eolOf(text)}`;
  }
  if (isMap(top) && top.range) {
    // `{ services: …, contexts: … }`: the pair goes before the closing brace.
    let at = top.range[1] - 1;
    if (text[at] !== '}') return undefined;
    while (/\s/.test(text[at - 1] ?? '')) at--;
    return `${text.slice(0, at)}${top.items.length ? ', ' : ''}current_context: ${yamlWord(name)}${text.slice(at)}`;
  }
  return undefined;
}

/**
 * `text` (parsed as `doc`) with `current_context: <name>`: edited in place when the result
 * reads back as the same document with that one value set, else the document re-printed
 * (the one case where the file's layout may change).
 */
export function withCurrentContext(text: string, doc: Document, name: string): string {
  const edited = editInPlace(text, doc, name);
  if (edited !== undefined) {
    const check = parseDocument(edited);
    const data: unknown = check.toJS();
    const same = !check.errors.length && data !== null && typeof data === 'object' && (data as Record<string, unknown>).current_context === name
      && isDeepStrictEqual(rest(data), rest(doc.toJS()));
    if (same) return edited;
  }
  doc.set('current_context', name);
  const printed = doc.toString();
  return eolOf(text) === '\n' ? printed : printed.replace(/\n/g, '\r\n');
}
