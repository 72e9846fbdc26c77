/**
 * @module surfaces/cli/leading-switches
 * `--json` and `--yes` are global options: the overview lists them, so they work anywhere
 * before `--`, the command's words included (`homelab --json pve list` and `homelab pve
 * --json list` are `homelab pve list --json`). They are moved after the other words (before
 * any `--`), where every command reads them. `--context` and `--all-contexts` stay where
 * they are (they are taken out of the words anywhere); colour switches are gone by now.
 * Shell completion reads a command line by the same rule (`isGlobalSwitch`).
 */

/** Whether `word` is a global switch: `--json`, `--yes`, `-y`, their `--no-` forms or a `=value` form. */
export function isGlobalSwitch(word: string): boolean {
  return word === '-y' || /^--(?:no-)?(?:json|yes)(?:=.*)?$/s.test(word);
}

/** `words` with the `--json`/`--yes` switches before any `--` moved after the other words. */
export function leadingSwitchesLast(words: readonly string[]): string[] {
  const moved: string[] = [];
  const kept: string[] = [];
  let commandWords = 0;
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') break;
    if (isGlobalSwitch(word)) moved.push(word);
    else if (word === '--context') {
      kept.push(word, ...words.slice(i + 1, i + 2));
      i++;
    } else {
      kept.push(word);
      if (word !== '--all-contexts' && !word.startsWith('--context=')) commandWords++;
    }
  }
  // Nothing else (`homelab --json`): left as given, for the usual error.
  if (!moved.length || !commandWords) return [...words];
  return [...kept, ...moved, ...words.slice(i)];
}
