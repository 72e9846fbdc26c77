/**
 * @module surfaces/web/field-labels
 * What a form shows for an input key, worked out from the key alone: a label in words
 * (`newCert` → "New cert", `forceSsl` → "Force SSL", `vmid` → "VMID"), and help text
 * that names the field instead of a command-line flag (`--no-monitor skips it` →
 * `“Monitor” unticked skips it`; of a three-way choice, `“Onboot” set to no`). Only
 * flags that are fields of the same form are translated, outside command lines (`homelab pve
 * destroy 106 --stop` stays one to paste); any other text is left as written.
 */
import { kebab } from '../../core/args.js';
import type { FieldKind } from './form-fields.js';

/** Words written in capitals (or their own case) wherever they appear in a key. */
const ACRONYMS = new Map(['api', 'cidr', 'cpu', 'dns', 'gc', 'http', 'https', 'id', 'ip', 'lxc', 'mac', 'npm', 'pbs', 'pve', 'smtp', 'ssh', 'ssl', 'tcp', 'tls', 'ttl', 'udp', 'upid', 'url', 'vmid', 'vm']
  .map((w) => [w, w.toUpperCase()] as const).concat([['ipv4', 'IPv4'], ['ipv6', 'IPv6']]));

function word(w: string): string {
  const lower = w.toLowerCase();
  const known = ACRONYMS.get(lower);
  if (known) return known;
  // An acronym with a number (`http2`).
  const numbered = /^([a-z]+)(\d+)$/.exec(lower);
  const stem = numbered ? ACRONYMS.get(numbered[1] as string) : undefined;
  return stem ? `${stem}${numbered?.[2] ?? ''}` : lower;
}

/** The label of an input key: its words, the first capitalised, acronyms in capitals. */
export function fieldLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_-]+/).filter(Boolean).map(word);
  if (!words.length) return key;
  const [first, ...rest] = words as [string, ...string[]];
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** Whether the label says less than the key (a key of several words, or one written as an acronym): then the form shows the key too. */
export function keyWorthShowing(key: string): boolean {
  return fieldLabel(key).toLowerCase() !== key.toLowerCase();
}

/**
 * `help` with each `--flag` (or `--no-flag`) that is one of `fields` named by its field's
 * label instead; `--no-flag` of a box is the box unticked, of a three-way choice (`tristate`)
 * the choice set to no. A command line in it (`homelab …`, to paste into a shell) is left as written.
 */
export function webHelp(help: string, fields: readonly { key: string; kind?: FieldKind }[]): string {
  const byFlag = new Map(fields.map((f) => [kebab(f.key), f] as const));
  // A command line in the text (`homelab pve destroy 106 --stop`) is for a shell: its flags stay flags.
  return help.split(COMMAND_LINE).map((part, i) => (i % 2 ? part : fieldsNamed(part, byFlag))).join('');
}

/** `homelab <command> …` up to the end of its phrase (a comma, semicolon, closing parenthesis, full stop or line end), captured for `split`. */
const COMMAND_LINE = /((?<![\w/.~@-])homelab [a-z][^\n,;)]*?(?=[,;)\n]|\.(?:\s|$)|$))/;

function fieldsNamed(text: string, byFlag: ReadonlyMap<string, { key: string; kind?: FieldKind }>): string {
  return text.replace(/(?<![\w-])--(no-)?([a-z][a-z0-9-]*)/g, (whole, no: string | undefined, flag: string) => {
    const named = no ? byFlag.get(`no-${flag}`) : undefined;
    if (named !== undefined) return `“${fieldLabel(named.key)}”`;
    const field = byFlag.get(flag);
    if (field === undefined) return whole;
    if (!no) return `“${fieldLabel(field.key)}”`;
    return field.kind === 'tristate' ? `“${fieldLabel(field.key)}” set to no` : `“${fieldLabel(field.key)}” unticked`;
  });
}
