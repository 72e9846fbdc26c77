/**
 * @module surfaces/shared/question-terminal
 * Which terminal a question is shown on: stdin must be a terminal, and the question goes to
 * stderr when stderr is one; when stderr goes elsewhere (`2>>homelab.log`) to the process's
 * own terminal, /dev/tty, as ssh and sudo ask for a password, so the log gets no question and
 * no cursor codes. When neither can show it (stderr redirected, and stdin a terminal that is
 * not the process's own: no /dev/tty, or another one), there is none: `canAsk` is false.
 * Whether stdin is the process's own terminal is read from Linux's /proc/self/stat.
 */
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { WriteStream } from 'node:tty';

/** Where a question is shown, and how to let go of it once answered. */
export interface QuestionTerminal {
  output: NodeJS.WriteStream;
  close(): void;
}

/**
 * Whether stdin is this process's controlling terminal, the one /dev/tty opens. Linux tells
 * it in /proc/self/stat (`tty_nr`, in the same encoding as a device's `rdev`); where that
 * cannot be read, opening /dev/tty is taken as the answer.
 */
function stdinIsOwnTerminal(): boolean {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return true;
  }
  // After the command name in parentheses: state, ppid, pgrp, session, tty_nr.
  const ttyNr = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[4]);
  return ttyNr === fstatSync(0).rdev;
}

/** A file descriptor on /dev/tty when it is stdin's terminal; undefined otherwise (no controlling terminal, another one). */
function openOwnTerminal(): number | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'w');
  } catch {
    return undefined;
  }
  if (stdinIsOwnTerminal()) return fd;
  closeSync(fd);
  return undefined;
}

/** The terminal to show a question on (the module comment), or undefined when there is none. */
export function questionTerminal(): QuestionTerminal | undefined {
  if (!process.stdin.isTTY) return undefined;
  if (process.stderr.isTTY) return { output: process.stderr, close: () => undefined };
  const fd = openOwnTerminal();
  if (fd === undefined) return undefined;
  const output = new WriteStream(fd);
  return { output, close: () => output.destroy() };
}

/**
 * Writes a note for the person at stdin's terminal where a question would be shown: `stderr`
 * when it is a terminal, else /dev/tty when it is stdin's own (stderr redirected to a log);
 * nowhere when there is none (the note is for a person, not for a log).
 */
export function noteOnTerminal(note: string, stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): void {
  if (!process.stdin.isTTY) return;
  if (stderr.isTTY) {
    stderr.write(note);
    return;
  }
  const fd = openOwnTerminal();
  if (fd === undefined) return;
  try {
    writeSync(fd, note);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a question can be asked: stdin is a terminal (`stdinIsTTY`, as the caller was
 * told) and the question can be shown on it (stderr, or /dev/tty when stderr is redirected).
 * When false, a confirmation is refused as without a terminal ("add --yes").
 */
export function canAsk(stdinIsTTY: boolean): boolean {
  if (!stdinIsTTY || !process.stdin.isTTY) return false;
  if (process.stderr.isTTY) return true;
  const fd = openOwnTerminal();
  if (fd === undefined) return false;
  closeSync(fd);
  return true;
}

