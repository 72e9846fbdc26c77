/**
 * The command lines homelab prints for people to run: one shell word per value (core/shell-word,
 * which every printer of a command shares), and the `expose` re-run written from the input as
 * given, every option kept and the target as `host:port` (never an object).
 */
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../../src/core/shell-word.js';
import { exposeCommand, exposeRerun } from '../../../src/services/hub/expose-command.js';
import { appSpecSchema } from '../../../src/services/hub/expose-spec.js';

describe('shellWord', () => {
  it('leaves a plain word alone and single-quotes anything a shell would split, glob or expand', () => {
    expect(shellWord('app2.home.lan:3000')).toBe('app2.home.lan:3000');
    expect(shellWord('')).toBe("''");
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('https://x/health?a=1&b=2')).toBe("'https://x/health?a=1&b=2'");
    // zsh refuses an unmatched glob: brackets are quoted.
    expect(shellWord('[fd00::5]:3000')).toBe("'[fd00::5]:3000'");
  });
});

describe('the expose re-run', () => {
  it('is written from the input as given, options included, the target as host:port', () => {
    expect(exposeRerun(appSpecSchema.parse({ name: 'app2', target: 'forgejo:3000', dns: 'a' }))).toBe('homelab expose app2 forgejo:3000 --dns a');
    expect(exposeRerun(appSpecSchema.parse({ name: 'app2', target: 'forgejo:3000' }))).toBe('homelab expose app2 forgejo:3000');
    const all = appSpecSchema.parse({
      name: 'pad', target: '[FD00::5]:9001', dns: 'none', scheme: 'https', websockets: true, cert: '4', forceSsl: false, blockExploits: false,
      monitorUrl: 'https://pad.home.lan/health?a=1&b=2',
    });
    expect(exposeRerun(all)).toBe("homelab expose pad '[fd00::5]:9001' --dns none --scheme https --websockets --cert 4 --no-force-ssl --no-block-exploits --monitor-url 'https://pad.home.lan/health?a=1&b=2'");
    expect(exposeRerun(appSpecSchema.parse({ name: 'pad', target: '10.5.0.61:9001', cert: 'none', monitor: false }))).toBe('homelab expose pad 10.5.0.61:9001 --cert none --no-monitor');
  });

  it('writes the placeholder <host:port> unquoted when the target is to be chosen', () => {
    expect(exposeCommand({ name: 'pad', target: null, dns: 'a' })).toBe('homelab expose pad <host:port> --dns a');
  });
});
