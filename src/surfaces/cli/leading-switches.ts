/**
 * @module surfaces/cli/leading-switches
 * `--json` and `--yes` are global options: the overview lists them, so they work before
 * the command as well as after it (`homelab --json pve list` is `homelab pve list --json`).
 * Those given before the first command word are moved after the command's words (before
 * any `--`), where every command reads them. `--context` and `--all-contexts` stay where
 * they are (they are taken out of the words anywhere); colour switches are gone by now.
 */

/** Whether `word` is `--json`, `--yes`, `-y`, their `--no-` forms or a `=value` form. */
function isLeadingSwitch(word: string): boolean {
  return word === '-y' || /^--(?:no-)?(?:json|yes)(?:=.*)?$/s.test(word);
}

/** `words` with the `--json`/`--yes` switches given before the command moved after its words. */
export function leadingSwitchesLast(words: readonly string[]): string[] {
  const moved: string[] = [];
  const kept: string[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (isLeadingSwitch(word)) moved.push(word);
    else if (word === '--all-contexts' || word.startsWith('--context=')) kept.push(word);
    else if (word === '--context') {
      kept.push(word, ...words.slice(i + 1, i + 2));
      i++;
    } else break;
  }
  // Nothing follows (`homelab --json`): left as given, for the usual error.
  if (!moved.length || i >= words.length) return [...words];
  const rest = words.slice(i);
  const end = rest.indexOf('--');
  return end < 0 ? [...kept, ...rest, ...moved] : [...kept, ...rest.slice(0, end), ...moved, ...rest.slice(end)];
}
