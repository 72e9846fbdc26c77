/**
 * Where the dashboard listens and why it could not: `--host` takes IPv6 with or without
 * brackets (listened on bare, written bracketed in URLs), brackets around anything else
 * are a usage error; every listen failure is one line naming what to change, with the
 * exit code of its kind and none of Node's own message. (A port really in use, and
 * `[::1]` really served, are in cli-serve.test.ts; a name lookup would leave loopback, so
 * the resolver's failures are given here as Node reports them.)
 */
import { describe, expect, it } from 'vitest';
import { HomelabError, UsageError } from '../../../src/core/errors.js';
import { bindAddress, listenError, urlHost } from '../../../src/surfaces/listen.js';

/** An error as node:net reports a failed listen. */
function failure(code: string, syscall = 'listen'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${syscall} ${code} raw node text`), { code, syscall });
}

describe('--host', () => {
  it('takes an IPv6 address with or without brackets, and writes it bracketed in a URL', () => {
    expect(bindAddress('[::1]')).toBe('::1');
    expect(bindAddress('::1')).toBe('::1');
    expect(bindAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(bindAddress('localhost')).toBe('localhost');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('[::1]')).toBe('[::1]');
    expect(urlHost('127.0.0.2')).toBe('127.0.0.2');
  });

  it('takes a link-local address with its interface, written %25 in a URL (RFC 6874)', () => {
    expect(bindAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(bindAddress('[fe80::1%eth0]')).toBe('fe80::1%eth0');
    expect(urlHost('fe80::1%eth0')).toBe('[fe80::1%25eth0]');
    expect(urlHost('[fe80::1%eth0]')).toBe('[fe80::1%25eth0]');
  });

  it('refuses brackets around anything but an IPv6 address (exit 2)', () => {
    for (const host of ['[127.0.0.1]', '[localhost]', '[]']) {
      const err = (() => { try { bindAddress(host); } catch (e) { return e; } return undefined; })();
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toBe(`--host ${host}: brackets hold an IPv6 address only`);
    }
  });
});

describe('a failed listen', () => {
  it('is one line with what to do and the exit code of its kind, never Node\'s message', () => {
    const cases: [string, number, string][] = [
      ['EADDRINUSE', 1, 'port 8480 is in use on [::1]'],
      ['EACCES', 1, 'not allowed to listen on port 8480 of [::1]'],
      ['EADDRNOTAVAIL', 2, '--host [::1] is not an address of this machine'],
      ['EINVAL', 2, '--host [::1] is not an address this machine can listen on'],
      ['ENOTFOUND', 2, '--host [::1] is neither an address nor a name this machine resolves'],
      ['EAI_AGAIN', 4, '--host [::1]: the name could not be looked up just now'],
      ['EMFILE', 1, 'cannot listen on [::1] port 8480 (EMFILE)'],
    ];
    for (const [code, exit, message] of cases) {
      const err = listenError(failure(code, code.startsWith('EAI') || code === 'ENOTFOUND' ? 'getaddrinfo' : 'listen'), '::1', 8480);
      expect(err).toBeInstanceOf(HomelabError);
      expect([code, err.exitCode, err.message]).toEqual([code, exit, message]);
      expect(err.hint).toMatch(/--(port|host)/);
      expect(`${err.message}${err.hint}`).not.toMatch(/raw node text|\n/);
    }
  });

  it('an address the machine cannot listen on (EINVAL) is a bad --host (exit 2): a link-local one is told to name its interface', () => {
    const cases: [string, string, string][] = [
      ['fe80::1', '--host [fe80::1] is not an address this machine can listen on', 'a link-local address needs its interface: --host fe80::1%eth0 (ip -br addr lists them)'],
      ['[FEBF::9]', '--host [FEBF::9] is not an address this machine can listen on', 'a link-local address needs its interface: --host FEBF::9%eth0 (ip -br addr lists them)'],
      ['fe80::1%nope0', '--host [fe80::1%nope0] is not an address this machine can listen on', 'this machine has no interface nope0: name one it has after the % (ip -br addr lists them)'],
      ['ff02::1', '--host [ff02::1] is not an address this machine can listen on', 'pick one it has with --host (127.0.0.1 by default)'],
      ['fec0::1', '--host [fec0::1] is not an address this machine can listen on', 'pick one it has with --host (127.0.0.1 by default)'],
    ];
    for (const [host, message, hint] of cases) {
      const err = listenError(failure('EINVAL'), host, 8480);
      expect(err).toBeInstanceOf(UsageError);
      expect([err.exitCode, err.message, err.hint]).toEqual([2, message, hint]);
    }
  });
});
