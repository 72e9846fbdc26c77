/**
 * @module surfaces/shared/terminal
 * Terminal facts and output helpers: colour only on a TTY and never with `NO_COLOR`
 * (or `--no-color`), a spinner for progress on stderr, and a y/N prompt.
 *
 * Questions are asked on the terminal the answer is typed on (question-terminal: stderr, or
 * /dev/tty when stderr is redirected), with what they are about and the echo of what is
 * typed, never of a secret. Where no terminal can show one, nothing is asked: `canAsk` is
 * false and a confirmation is refused as without a terminal ("add --yes", exit 2).
 *
 * In surfaces/shared/, the home of what more than one surface uses (the CLI; `serve
 * passwd` asks its password with `ask`; the daemons and the demo report in colour): a
 * surface imports only its own folder and this one, never another surface's modules, so
 * no surface loads another's code or closes an import cycle with it
 * (test/services/import-cycles.test.ts holds this).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InterruptedError, UsageError } from '../../core/errors.js';
import type { Painter, Tone } from '../../core/render.js';
import { redact } from '../../core/redact.js';
import { headToWidth } from '../../core/display-width.js';
import { terminalLine } from '../../core/render-safe.js';
import { questionTerminal } from './question-terminal.js';

export { canAsk, noteOnTerminal } from './question-terminal.js';

const ANSI: Record<Tone, [number, number]> = { ok: [32, 39], warn: [33, 39], bad: [31, 39], dim: [2, 22], accent: [36, 39] };

/** Whether to colour output on this stream. */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false || env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** An ANSI painter, or the identity when colour is off. */
export function painter(color: boolean): Painter {
  if (!color) return (text) => text;
  return (text, tone) => (tone ? `\x1b[${ANSI[tone][0]}m${text}\x1b[${ANSI[tone][1]}m` : text);
}

/** A one-line spinner on stderr (TTY only); `update` changes its note, `stop` clears it. */
export function spinner(stream: NodeJS.WriteStream): { update(note: string): void; stop(): void } {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let note = '';
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    // The frame and its space take two columns, and the last column stays free: a line that
    // fills or passes the terminal's width wraps, and `\x1b[2K` clears only the cursor's row,
    // so every frame would leave a stale row behind. Cut by columns (a CJK character takes
    // two) and between graphemes (never half an emoji).
    const width = (stream.columns || 80) - 3;
    stream.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${headToWidth(note, width)}`);
  };
  return {
    update(next) {
      // A note of several lines (a plan's step log) shows its last line: the step running now.
      // Shown safely: a note may carry data (a guest's name, a batch line), never a control
      // sequence, and never a secret (a batch line may hold one that the result line hides).
      note = terminalLine(redact(next.slice(next.lastIndexOf('\n') + 1)));
      if (!timer) timer = setInterval(draw, 80);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (note) stream.write('\r\x1b[2K');
      note = '';
    },
  };
}

/** An output for readline that shows nothing: where a secret is typed, nothing of it is drawn. */
function mutedOutput(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** Why a question ended without an answer when its input ended (Ctrl-D, a closed terminal). */
export const END_OF_INPUT = 'no answer: the input ended';

/**
 * Asks a question on the terminal (the module comment: stderr, or /dev/tty when stderr is
 * redirected); resolves to the answer line (Enter alone: `''`). `before`: lines shown first,
 * on the same terminal (what a confirmation is about). With `secret`, nothing typed is ever
 * shown, not on a redraw either (Backspace, arrows, Ctrl-U, a paste).
 * Ctrl-C is not an answer: it rejects with InterruptedError; so does the end of input
 * (Ctrl-D on an empty line, a closed terminal), which would otherwise leave the question
 * unsettled and the process ending silently with exit 0, and so does `signal`'s abort (a
 * stop signal sent to the process while it asks). With no terminal to show the question on,
 * it rejects with a UsageError and asks nothing.
 */
export function ask(question: string, options: { secret?: boolean; signal?: AbortSignal; before?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (process.stdin.readableEnded) {
      reject(new InterruptedError(END_OF_INPUT));
      return;
    }
    if (options.signal?.aborted) {
      reject(new InterruptedError());
      return;
    }
    const terminal = questionTerminal();
    if (!terminal) {
      reject(new UsageError('no terminal to ask on: stderr is redirected and stdin is not this process\'s terminal (/dev/tty)', 'run it in a terminal, with stderr on it or stdin from it'));
      return;
    }
    const { output } = terminal;
    if (options.before) output.write(`${options.before}\n`);
    // A secret is never echoed: readline edits the line with no output at all (a stream that
    // drops everything), so no redraw (Backspace, arrows, Ctrl-U, a paste, a resize) can show
    // it; the question alone is written here. Muting only some of readline's writes is not
    // enough: a redraw writes the question and the line typed so far as one string.
    const rl = options.secret
      ? createInterface({ input: process.stdin, output: mutedOutput(), terminal: true, historySize: 0 })
      : createInterface({ input: process.stdin, output, terminal: true });
    let settled = false;
    const stop = (err: InterruptedError): void => {
      if (settled) return;
      settled = true;
      rl.close();
      output.write('\n');
      terminal.close();
      reject(err);
    };
    // Ctrl-C at a prompt stops the run (exit 130), never hangs and is never taken for Enter.
    rl.on('SIGINT', () => stop(new InterruptedError()));
    // A stop signal sent to the process (SIGTERM, `kill -INT`) while it waits here is Ctrl-C too.
    const onAbort = (): void => stop(new InterruptedError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    rl.once('close', () => options.signal?.removeEventListener('abort', onAbort));
    // The end of input is no answer either: it ends the run as Ctrl-C does (a confirmation declines).
    rl.on('close', () => stop(new InterruptedError(END_OF_INPUT)));
    if (options.secret) output.write(question);
    rl.question(options.secret ? '' : question, (answer) => {
      settled = true;
      rl.close();
      if (options.secret) output.write('\n');
      terminal.close();
      resolve(answer.trim());
    });
  });
}

/**
 * Asks a yes/no question; only `y`/`yes` is yes. Ctrl-C, the end of input (Ctrl-D) and
 * `signal`'s abort decline (the caller then says nothing was done, exit 1). `before`: what
 * the question is about, shown just before it on the same terminal.
 */
export async function confirm(question: string, signal?: AbortSignal, before?: string): Promise<boolean> {
  const answer = await ask(`${question} [y/N] `, { signal, ...(before ? { before } : {}) }).catch((err: unknown) => {
    if (err instanceof InterruptedError) return '';
    throw err;
  });
  return /^y(es)?$/i.test(answer);
}
