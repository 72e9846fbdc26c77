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
    [['serve', '--hst', '1.2.3.4'], 'unknown option --hst for serve (did you mean --host?)\n  see: homelab serve --help'],
    [['serve', '-p', '8480'], 'unknown option -p for serve (did you mean --port?)\n  see: homelab serve --help'],
    [['serve', 'passwd', '--usr', 'bob'], 'unknown option --usr for serve passwd (did you mean --user?)\n  see: homelab serve passwd --help'],
    [['mcp', '--prot', '1'], 'unknown option --prot for mcp (did you mean --port?)\n  see: homelab mcp --help'],
    [['mcp', '--json'], 'unknown option --json for mcp\n  see: homelab mcp --help'],
    [['watch', '--onc'], 'unknown option --onc for watch (did you mean --once?)\n  see: homelab watch --help'],
    [['lab', '--guest', '3'], 'unknown option --guest for lab (did you mean --guests?)\n  see: homelab lab --help'],
    [['lab', '-j'], 'unknown option -j for lab (did you mean --json?)\n  see: homelab lab --help'],
    [['batch', '--keep-goign'], 'unknown option --keep-goign for batch (did you mean --keep-going?)\n  see: homelab batch --help'],
    [['context', 'list', '--jsn'], 'unknown option --jsn for context (did you mean --json?)\n  see: homelab context --help'],
  ])('%j → named with the option meant, exit 2', async (args, stderr) => {
    const r = await runCli(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `homelab: ${stderr}\n`, '']);
  });

  it.each([
    [['demo', '--json'], 'demo takes no options: --json\n  usage: homelab demo'],
    [['demo', '-j'], 'demo takes no options: -j\n  usage: homelab demo'],
    [['demo', 'now'], 'demo takes no arguments: "now"\n  usage: homelab demo'],
    [['completion', 'bash', '--json'], 'completion takes no options: --json\n  usage: homelab completion bash|zsh|fish'],
  ])('%j → named with the option meant, exit 2', async (args, stderr) => {
    const r = await runCli(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `homelab: ${stderr}\n`, '']);
  });
});
