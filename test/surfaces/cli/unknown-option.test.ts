/**
 * What the built CLI says to a mistyped option after a command: one line naming the option
 * as typed, the command, and the option a typo is close to (`unknown option --jsn for pve
 * list (did you mean --json?)`), with where to look; exit 2, nothing run. The same for the
 * commands that read their own options (serve, mcp, watch, lab, bot, batch, context), and
 * `demo`, which takes none, says so.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('a mistyped option', () => {
  it.each([
    [['pve', 'list', '--jsn'], 'unknown option --jsn for pve list (did you mean --json?)\n  see: homelab pve list --help'],
    [['pve', 'list', '-j'], 'unknown option -j for pve list (did you mean --json?)\n  see: homelab pve list --help'],
    [['pve', 'list', '--nod', 'pve1'], 'unknown option --nod for pve list (did you mean --node?)\n  see: homelab pve list --help'],
    [['pve', 'start', '101', '--no-wiat'], 'unknown option --no-wiat for pve start (did you mean --no-wait?)\n  see: homelab pve start --help'],
    [['pve', 'list', '--frobnicate'], 'unknown option --frobnicate for pve list\n  see: homelab pve list --help'],
    [['bot', '--consol'], 'unknown option --consol for bot (did you mean --console?)\n  usage: homelab bot [--console]'],
    [['bot', '-c'], 'unknown option -c for bot (did you mean --console?)\n  usage: homelab bot [--console]'],
  ])('%j → named with the option meant, exit 2', async (args, stderr) => {
    const r = await runCli(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `homelab: ${stderr}\n`, '']);
  });
});
