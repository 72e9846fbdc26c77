/**
 * `expandHome` (core/paths), the one expansion of `~` every command uses (lab files, shims,
 * the MCP token file, SSH keys, file-valued CLI flags): `~` and `~/…` become the home
 * directory with the rest kept as the shell keeps it, so a `..` after a symlink leads where
 * it leads in a shell, not where folding the path text would. A relative `$HOME` is refused
 * (exit 3 naming it), as for the config and data homes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { expandHome } from '../../src/core/paths.js';

let dir: string;
let home: string;
let savedHome: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-expand-home-'));
  home = join(dir, 'home');
  mkdirSync(home);
  savedHome = process.env.HOME;
  process.env.HOME = home;
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  rmSync(dir, { recursive: true, force: true });
});

describe('expandHome', () => {
  it('expands ~ and ~/ only, leaving ~user, relative and absolute paths as given', () => {
    expect(expandHome('~')).toBe(home);
    expect(expandHome('~/.ssh/id_ed25519.pub')).toBe(`${home}/.ssh/id_ed25519.pub`);
    expect(expandHome('~root/x')).toBe('~root/x');
    expect(expandHome('keys/~/x')).toBe('keys/~/x');
    expect(expandHome('/etc/hosts')).toBe('/etc/hosts');
  });

  it('refuses a relative $HOME (a ConfigError naming it) rather than a ~/… under the working directory', () => {
    for (const relative of ['rel', './home', 'a/b']) {
      process.env.HOME = relative;
      let thrown: unknown;
      try {
        expandHome('~/.ssh/known_hosts');
      } catch (err) {
        thrown = err;
      }
      expect(thrown, relative).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toBe(`HOME is a relative path (${JSON.stringify(relative)}): homelab keeps its config and state only under an absolute one`);
      expect(() => expandHome('~'), relative).toThrow(ConfigError);
      // A path without ~ does not need the home.
      expect(expandHome('/etc/ssh/known_hosts')).toBe('/etc/ssh/known_hosts');
      expect(expandHome('keys/id')).toBe('keys/id');
    }
  });

  it('keeps a .. after a symlink as the shell does: the file it names is the one cat ~/… would read', () => {
    // ~/keys is a link into another tree; ~/keys/../id.pub is that tree's id.pub, not ~/id.pub.
    mkdirSync(join(dir, 'elsewhere', 'keys'), { recursive: true });
    writeFileSync(join(dir, 'elsewhere', 'id.pub'), 'the linked one');
    writeFileSync(join(home, 'id.pub'), 'the one in home');
    symlinkSync(join(dir, 'elsewhere', 'keys'), join(home, 'keys'));
    expect(readFileSync(expandHome('~/keys/../id.pub'), 'utf8')).toBe('the linked one');
  });
});
