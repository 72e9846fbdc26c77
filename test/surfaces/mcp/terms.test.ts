/**
 * What an operation says in the command line's words, said in a tool's terms (`terms.ts`),
 * over the real registry's operations: `--flag` of the tool → its argument, `homelab <words>`
 * → the tool call, and in descriptions the command line's own notes (a CLI-only switch, exit
 * codes, stdin) left out, and no more of the sentence than the clause that says them.
 */
import { describe, expect, it } from 'vitest';
import type { AnyOperation } from '../../../src/core/operation.js';
import { getRegistry } from '../../../src/services/index.js';
import { exposure } from '../../../src/surfaces/mcp/exposure.js';
import { inMcpTerms, mcpDescription } from '../../../src/surfaces/mcp/terms.js';

const registry = getRegistry();
const { words, commandWord } = exposure(registry, 'danger');
const op = (id: string): AnyOperation => registry.get(id) as AnyOperation;

describe('MCP terms', () => {
  it('says a switch of the tool as its argument, true or false, and other inputs by key', () => {
    expect(inMcpTerms('add --stop to hard-stop it first', op('pve.destroy'), words)).toBe('add `stop: true` to hard-stop it first');
    expect(inMcpTerms('start needs the task to finish first; drop --no-wait', op('pve.create.ct'), words)).toBe('start needs the task to finish first; drop `wait: false`');
    expect(inMcpTerms('--gw needs a static --ip (like 10.5.0.30/24)', op('pve.create.ct'), words)).toBe('`gw` needs a static `ip` (like 10.5.0.30/24)');
    expect(inMcpTerms('--ip/--gw/--ssh-key/--user need the task to finish', op('pve.clone'), words)).toBe('`ip`/`gw`/`sshKey`/`user` need the task to finish');
    // A value that can only be the input's goes with it: an enum's choice, a number, a placeholder.
    expect(inMcpTerms('one row per minute for --timeframe hour', op('pve.node-history'), words)).toBe('one row per minute for `timeframe: "hour"`');
  });

  it('leaves a flag the tool does not take as it is: the server owner\'s, or another tool\'s', () => {
    expect(inMcpTerms('the server owner can restart it with --allow danger', op('apply'), words)).toBe('the server owner can restart it with --allow danger');
    expect(inMcpTerms('add --force to do that', op('pve.start'), words)).toBe('add --force to do that');
  });

  it('turns a command naming a tool into the call, its values taken and the sentence left', () => {
    expect(inMcpTerms('or shut it down cleanly: homelab pve shutdown 107', op('pve.destroy'), words)).toBe('or shut it down cleanly: `pve_shutdown { vmid: 107 }`');
    expect(inMcpTerms('clone it and ask the clone: homelab pve clone 201 --start, then homelab pve ip <new id>', op('pve.ip'), words))
      .toBe('clone it and ask the clone: `pve_clone { vmid: 201, start: true }`, then `pve_ip { vmid: <new id> }`');
    expect(inMcpTerms('homelab plan shows the deletes', op('apply'), words)).toBe('`plan` shows the deletes');
    // Not a tool (a command of the owner's, the marker): as it is.
    expect(inMcpTerms('run homelab init, or see homelab services', op('status'), words)).toBe('run homelab init, or see `services`');
    expect(inMcpTerms('carries managed-by: homelab app=pad', op('dns.add'), words)).toBe('carries managed-by: homelab app=pad');
  });

  it('leaves a command line as written when it goes on with what the tool does not take', () => {
    // A path only the CLI takes: `export { file }` would be refused on MCP.
    expect(inMcpTerms('homelab export /etc/homelab/lab.yaml writes a starting one', op('plan'), words)).toBe('homelab export /etc/homelab/lab.yaml writes a starting one');
    // A plain word where a value is expected (a record, a snapshot name): a call without it is another command.
    expect(inMcpTerms('remove it: homelab dns delete www', op('dns.add'), words)).toBe('remove it: homelab dns delete www');
    expect(inMcpTerms('roll back with homelab pve rollback 105 upd', op('pve.snapshot'), words)).toBe('roll back with homelab pve rollback 105 upd');
    // A flag the tool does not take (the CLI's own --yes).
    expect(inMcpTerms('run homelab pve destroy 201 --yes', op('pve.destroy'), words)).toBe('run homelab pve destroy 201 --yes');
  });

  it("names the call's lab in a tool call, and in a command line left as written, right after homelab", () => {
    const office = { tool: 'office', shell: 'office', isCommand: commandWord };
    expect(inMcpTerms('homelab pve list shows the guests', op('pve.status'), words, office)).toBe('`pve_list { context: "office" }` shows the guests');
    // A CLI-only path: the command line stays, in the call's lab.
    expect(inMcpTerms('homelab export /etc/homelab/lab.yaml writes a starting one', op('plan'), words, office))
      .toBe('homelab --context office export /etc/homelab/lab.yaml writes a starting one');
    // A CLI command that is no operation, and one the tool takes no flag of.
    expect(inMcpTerms('run homelab pve destroy 201 --yes, or homelab bot --console', op('pve.destroy'), words, office))
      .toBe('run homelab --context office pve destroy 201 --yes, or homelab --context office bot --console');
    // Prose and the marker are not commands; a line naming a lab already stays.
    expect(inMcpTerms('carries managed-by: homelab app=pad; a record homelab manages', op('dns.add'), words, office)).toBe('carries managed-by: homelab app=pad; a record homelab manages');
    expect(inMcpTerms('homelab --context garage export ./x', op('plan'), words, office)).toBe('homelab --context garage export ./x');
    // A tool call runs in the server's lab, a command line in config.yaml's current one: each named when it differs.
    const toolOnly = { tool: 'office', isCommand: commandWord };
    expect(inMcpTerms('homelab pve list, or homelab export ./x', op('pve.status'), words, toolOnly)).toBe('`pve_list { context: "office" }`, or homelab export ./x');
    const shellOnly = { shell: 'office', isCommand: commandWord };
    expect(inMcpTerms('homelab pve list, or homelab export ./x', op('pve.status'), words, shellOnly)).toBe('`pve_list`, or homelab --context office export ./x');
    // The server's own lab: as written.
    expect(inMcpTerms('homelab export /etc/homelab/lab.yaml writes a starting one', op('plan'), words)).toBe('homelab export /etc/homelab/lab.yaml writes a starting one');
  });

  it('leaves out of a description what only the command line has: its switches and exit codes', () => {
    const plan = mcpDescription(op('plan').description ?? '', op('plan'), words);
    expect(plan).not.toContain('--detailed-exitcode');
    expect(plan).not.toMatch(/exit/i);
    expect(plan).toContain('is listed and left alone.');
    expect(plan).toContain('`apply { planDigest: <digest> }` runs that plan only');
    expect(mcpDescription(op('check').description ?? '', op('check'), words)).not.toMatch(/exit|\b4 \(or 5/i);
    expect(mcpDescription(op('doctor').description ?? '', op('doctor'), words)).toBe('Prints every check and its fix. Warnings do not fail.');
    expect(mcpDescription(op('export').description ?? '', op('export'), words)).not.toContain('--force');
    // The agent cannot write a file, nor hand one to `plan`: export's description speaks of neither on MCP.
    expect(mcpDescription(op('export').description ?? '', op('export'), words))
      .toBe('The lab.yaml is the output. Planned as the lab file, it shows no changes, but for a disabled proxy host or a paused monitor of an app (apply turns them back on).');
  });

  it('leaves out only the clause that mentions stdin: the full stop kept, the rest of a parenthesis kept, never the whole text', () => {
    const send = op('telegram.send');
    const said = (text: string): string => mcpDescription(text, send, words);
    expect(said('Send the text; reads stdin when absent. Long text is split.')).toBe('Send the text. Long text is split.');
    expect(said('The message, or stdin when absent.')).toBe('The message.');
    expect(said('Sends the text (at most 4096 characters; reads stdin when absent) to the owner.')).toBe('Sends the text (at most 4096 characters) to the owner.');
    expect(said('Send a message to the owner chat (reads stdin when no text is given)')).toBe('Send a message to the owner chat');
    expect(said('the message; stdin when absent')).toBe('the message');
  });
});
