/**
 * Server text never reaches a user raw: every client's error mapping cuts it and strips
 * escape sequences and control characters (through core/http/server-text), whether it
 * comes as PVE's JSON `message`, PBS's plain-text body, NPM's error envelope, a reverse
 * proxy's HTML page, or a task's exit status and log over the CLI.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/core/http/index.js';
import { pbsError } from '../../src/services/pbs/client.js';
import { npmError } from '../../src/services/proxy/errors.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { pveError } from '../../src/services/pve/client.js';
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
