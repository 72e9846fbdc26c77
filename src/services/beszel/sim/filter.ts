/**
 * @module services/beszel/sim/filter
 * A PocketBase filter expression parser and evaluator, as far as Beszel clients use it
 * (shared/api/beszel.md §3): `field op value` comparisons with `= != > >= < <= ~ !~` and
 * their any-of `?` variants, `&&`, `||` and parentheses, single- or double-quoted strings,
 * numbers, `true`/`false`/`null`, dotted paths into JSON fields and `@request.auth.id`.
 * Unknown fields and malformed expressions throw `FilterError` (PocketBase answers 400).
 */

/** A filter that cannot be parsed or names an unknown field. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'and' | 'or'; value: string };

const OPS = ['?!=', '?>=', '?<=', '?!~', '!=', '>=', '<=', '!~', '?=', '?>', '?<', '?~', '=', '>', '<', '~'];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '(') { tokens.push({ kind: 'lparen', value: ch }); i++; continue; }
    if (ch === ')') { tokens.push({ kind: 'rparen', value: ch }); i++; continue; }
    if (input.startsWith('&&', i)) { tokens.push({ kind: 'and', value: '&&' }); i += 2; continue; }
    if (input.startsWith('||', i)) { tokens.push({ kind: 'or', value: '||' }); i += 2; continue; }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) { tokens.push({ kind: 'op', value: op }); i += op.length; continue; }
    if (ch === "'" || ch === '"') {
      // As PocketBase's scanner (fexpr): the text ends at the first matching quote not right after a
      // backslash, and only `\<quote>` is unescaped; every other backslash stays as it is.
      let j = i + 1;
      while (j < input.length && !(input[j] === ch && input[j - 1] !== '\\')) j++;
      if (j >= input.length) throw new FilterError('unterminated string');
      tokens.push({ kind: 'string', value: input.slice(i + 1, j).replaceAll(`\\${ch}`, ch) });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(input.slice(i));
    if (num) { tokens.push({ kind: 'number', value: num[0] }); i += num[0].length; continue; }
    const ident = /^[@A-Za-z_][\w.@:]*/.exec(input.slice(i));
    if (ident) { tokens.push({ kind: 'ident', value: ident[0] }); i += ident[0].length; continue; }
    throw new FilterError(`unexpected character ${JSON.stringify(ch)}`);
  }
  return tokens;
}

/** An operand: a literal or a field path. */
type Operand = { literal: unknown } | { path: string };

/** A parsed filter expression. */
export type FilterNode =
  | { type: 'cmp'; op: string; left: Operand; right: Operand }
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode };

/** Parses a filter; `fields` are the collection's top-level field names. */
export function parseFilter(input: string, fields: readonly string[]): FilterNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (!t) throw new FilterError('expected an operand');
    if (t.kind === 'string') return { literal: t.value };
    if (t.kind === 'number') return { literal: Number(t.value) };
    if (t.kind !== 'ident') throw new FilterError(`unexpected ${t.value}`);
    if (t.value === 'true' || t.value === 'false') return { literal: t.value === 'true' };
    if (t.value === 'null') return { literal: null };
    if (t.value.startsWith('@')) {
      if (t.value !== '@request.auth.id') throw new FilterError(`unsupported identifier ${t.value}`);
      return { path: t.value };
    }
    const head = t.value.split('.')[0] as string;
    if (!fields.includes(head)) throw new FilterError(`invalid left operand "${t.value}" - unknown field`);
    return { path: t.value };
  };
  const primary = (): FilterNode => {
    if (peek()?.kind === 'lparen') {
      pos++;
      const inner = or();
      if (tokens[pos++]?.kind !== 'rparen') throw new FilterError('missing )');
      return inner;
    }
    const left = operand();
    const op = tokens[pos++];
    if (!op || op.kind !== 'op') throw new FilterError('expected an operator');
    return { type: 'cmp', op: op.value, left, right: operand() };
  };
  const and = (): FilterNode => {
    let node = primary();
    while (peek()?.kind === 'and') { pos++; node = { type: 'and', left: node, right: primary() }; }
    return node;
  };
  const or = (): FilterNode => {
    let node = and();
    while (peek()?.kind === 'or') { pos++; node = { type: 'or', left: node, right: and() }; }
    return node;
  };
  const node = or();
  if (pos !== tokens.length) throw new FilterError(`unexpected ${tokens[pos]?.value}`);
  return node;
}

function resolve(operand: Operand, record: Record<string, unknown>, authId: string): unknown {
  if ('literal' in operand) return operand.literal;
  if (operand.path === '@request.auth.id') return authId;
  let value: unknown = record;
  for (const key of operand.path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const empty = (v: unknown): boolean => v === null || v === undefined || v === '';
  if (op === '=' || op === '!=') {
    const eq = empty(a) && empty(b) ? true : numeric(a, b) ? Number(a) === Number(b) : String(a ?? '') === String(b ?? '');
    return op === '=' ? eq : !eq;
  }
  if (op === '~' || op === '!~') {
    const hay = String(a ?? '').toLowerCase();
    const needle = String(b ?? '').toLowerCase().replace(/%/g, '');
    return op === '~' ? hay.includes(needle) : !hay.includes(needle);
  }
  if (empty(a) || empty(b)) return false;
  const [x, y] = numeric(a, b) ? [Number(a), Number(b)] : [String(a), String(b)];
  if (op === '>') return x > y;
  if (op === '>=') return x >= y;
  if (op === '<') return x < y;
  return x <= y;
}

function numeric(a: unknown, b: unknown): boolean {
  const isNum = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
  return (typeof a === 'number' || typeof b === 'number' || typeof a === 'boolean' || typeof b === 'boolean') && isNum(a) && isNum(b);
}

/** Whether `record` satisfies the filter, for a request authenticated as `authId` ('' for a guest). */
export function matchesFilter(node: FilterNode, record: Record<string, unknown>, authId: string): boolean {
  if (node.type !== 'cmp') {
    const left = matchesFilter(node.left, record, authId);
    return node.type === 'and' ? left && matchesFilter(node.right, record, authId) : left || matchesFilter(node.right, record, authId);
  }
  const anyOf = node.op.startsWith('?');
  const op = anyOf ? node.op.slice(1) : node.op;
  const left = resolve(node.left, record, authId);
  const right = resolve(node.right, record, authId);
  if (Array.isArray(left)) {
    if (op === '~' || op === '!~') return compare(op, JSON.stringify(left), right);
    return anyOf ? left.some((v) => compare(op, v, right)) : left.length > 0 && left.every((v) => compare(op, v, right));
  }
  return compare(op, left, right);
}
