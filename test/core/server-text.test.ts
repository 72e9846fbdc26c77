/**
 * Server text never reaches a user raw: every client's error mapping cuts it and strips
 * escape sequences and control characters (through core/http/server-text), whether it
 * comes as PVE's JSON `message`, PBS's plain-text body, NPM's error envelope, a reverse
 * proxy's HTML page, or a task's exit status and log over the CLI.
 */
import { describe, expect, it } from 'vitest';
import { HTML_WINDOW, bodyExcerpt, htmlText, serverLine, serverText, statusText, type HttpResponse } from '../../src/core/http/index.js';
import { registerSecret } from '../../src/core/redact.js';
import { pbsError } from '../../src/services/pbs/client.js';
import { npmError } from '../../src/services/proxy/errors.js';
import { pveError } from '../../src/services/pve/errors.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const ESC = '\u001b';
const hostile = `${ESC}[2J${ESC}[31mVM 100 is locked${ESC}[0m\u0007 (backup)${ESC}]0;owned\u0007\r\n\u202esecond line`;
const answer = (status: number, text: string, type = 'application/json', statusText = ''): HttpResponse => ({ status, statusText, headers: { 'content-type': type }, text });
const bigHtml = `<html><head><title>Error</title><style>${'x{y:z}'.repeat(40_000)}</style></head><body><h1>Internal Server Error</h1></body></html>`;

/** A line fit for a terminal: no control characters, short. */
function expectClean(message: string, max = 400): void {
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  expect(message.length).toBeLessThan(max);
}

describe('server text in client errors', () => {
  it('pve: a JSON message with escape sequences, a reason phrase, a 200 KB page', () => {
    const fromJson = pveError(answer(500, JSON.stringify({ message: hostile, data: null })));
    expectClean(fromJson.message);
    expect(fromJson.message).toBe('pve: VM 100 is locked (backup) second line');
    expectClean(pveError(answer(500, '', 'text/plain', `${ESC}[1mlocked${ESC}[0m`)).message);
    const page = pveError(answer(502, bigHtml, 'text/html', 'Bad Gateway'));
    expectClean(page.message);
    expect(page.message).toBe('pve: HTTP 502 Bad Gateway: Error · Internal Server Error');
  });

  it('pbs: a plain-text body of 200 KB on one line, and one with escape sequences', () => {
    const long = pbsError(answer(500, 'E'.repeat(200_000), 'text/plain'));
    expectClean(long.message, 260);
    expectClean(pbsError(answer(400, hostile, 'text/plain')).message);
    expectClean(pbsError(answer(500, bigHtml, 'text/html')).message);
  });

  it('proxy: an error envelope with escape sequences, and a page instead of JSON', () => {
    expectClean(npmError(answer(400, JSON.stringify({ error: { code: 400, message: hostile } })), 'POST /nginx/proxy-hosts').message);
    const page = npmError(answer(502, bigHtml, 'text/html', 'Bad Gateway'), 'GET /nginx/proxy-hosts');
    expectClean(page.message);
    expect(page.message).toContain('HTTP 502 Bad Gateway: Error · Internal Server Error');
  });
});

describe('hostile pages', () => {
  it('a 2 MB body of `<` without `>` is reduced in linear time', () => {
    // Quadratic with the old tag pattern: a 300 KB page burned 38 s of CPU. A correctness
    // bound for a loaded CI machine, not a benchmark: linear passes take a few ms.
    const hostile = answer(502, `<${'a<'.repeat(1_000_000)}`, 'text/html', 'Bad Gateway');
    const started = performance.now();
    const text = statusText(hostile);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text.startsWith('HTTP 502 Bad Gateway: <a<a<a')).toBe(true);
    expect(text.length).toBeLessThan(200);
  });

  it('titles, scripts and escape sequences without their end are read in linear time too', () => {
    for (const body of ['<title'.repeat(300_000), '<title>'.repeat(300_000), '<script'.repeat(300_000), '\u001b['.repeat(1_000_000)]) {
      const started = performance.now();
      bodyExcerpt(answer(502, body, 'text/html'));
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('reduces only the first HTML_WINDOW characters of visible markup to text', () => {
    const tags = '<b></b>'.repeat(Math.ceil(HTML_WINDOW / 7));
    expect(htmlText(`<p>${tags}hidden</p>`)).toBe('');
    expect(htmlText(`<p>${tags.slice(0, HTML_WINDOW - 100)}shown</p>`)).toBe('shown');
    // Styles and scripts do not count: a proxy's 100 KB of inline style still lets its message through.
    expect(htmlText(`<style>${'a{b:c}'.repeat(40_000)}</style><h1>behind the style</h1>`)).toBe('behind the style');
  });

  it('keeps a `<` that opens no tag as text', () => {
    expect(htmlText('<p>x<y <b>bold</b></p>')).toBe('x<y bold');
  });
});

describe('server text cut between graphemes', () => {
  it('serverText and serverLine drop an emoji at the cut whole, never leave half of one (shown as �)', () => {
    expect(serverText(`${'x'.repeat(198)}😀tail`)).toBe(`${'x'.repeat(198)}…`);
    expect(serverLine(`${'x'.repeat(498)}😀tail`)).toBe(`${'x'.repeat(498)}…`);
    // The window read first ends inside the emoji, and the blanks before it collapse to nothing.
    expect(serverText(`${' '.repeat(4095)}😀`)).toBe('');
    expect(serverText(`${' '.repeat(4094)}😀`)).toBe('😀');
  });
});

describe('secrets a server echoes are redacted before the text is cut', () => {
  const token = 'dnsTok-7f3a9c2e5b1d4a6f8e0c';
  registerSecret(token);
  const prefix = token.slice(0, 4);

  it('serverText and serverLine: a token straddling the cut leaves no beginning', () => {
    for (let at = 150; at < 200; at++) {
      const cut = serverText(`${'x'.repeat(at)}${token} tail`);
      expect(cut).not.toContain(prefix);
      expect(cut.length).toBeLessThanOrEqual(200);
    }
    expect(serverText(`${'x'.repeat(190)}${token}`)).toBe(`${'x'.repeat(190)}***`);
    for (let at = 490; at < 500; at++) expect(serverLine(`${'x'.repeat(at)}${token}`)).not.toContain(prefix);
  });

  it('a token straddling the end of the window read, behind text that cleaning removes', () => {
    // 4090 escape sequences and blanks collapse to nothing: what follows the window's end would be kept.
    expect(serverText(`${'\u001b[0m'.repeat(1000)}${token}`)).not.toContain(prefix);
    expect(serverText(`${' '.repeat(4090)}${token}`)).toBe('');
    expect(serverText(`${' '.repeat(4090)}https://admin:hunter2@host/`)).not.toContain('admin');
    expect(htmlText(`<p>${'<b></b>'.repeat(Math.floor((HTML_WINDOW - 10) / 7))}${token}</p>`)).not.toContain(prefix);
  });

  it('statusText and bodyExcerpt: a token in a page around the 120-character excerpt cut', () => {
    for (let at = 100; at < 125; at++) {
      const page = `<html><body><p>${'y'.repeat(at)}${token}</p></body></html>`;
      expect(bodyExcerpt(answer(502, page, 'text/html'))).not.toContain(prefix);
      expect(statusText(answer(502, page, 'text/html', 'Bad Gateway'))).not.toContain(prefix);
    }
  });
});

describe('server text over the CLI', () => {
  const lab = useLab({ services: ['pve'] });

  it("a failed task's exit status and log reach the terminal without escape sequences", async () => {
    (lab.current.sims.get('pve') as PveSim).failNextTask(106, `${ESC}[2J${ESC}]0;owned${ESC}\\command failed${ESC}[0m`);
    const result = await runCli(['pve', 'reboot', '106'], { ...lab.current.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('command failed');
    expect(result.stderr).not.toContain(ESC);
  });
});
