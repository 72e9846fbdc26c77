/**
 * @module surfaces/telegram/console
 * `homelab bot --console`: the bot's own handlers on a terminal chat loop, with no
 * Telegram and no token, so the demo can show the bot against the simulated lab. You
 * are the local (trusted) user; buttons are answered by typing their label
 * (`confirm`, `cancel`); free text goes to the real inbox. Piped input is read line by
 * line and echoed, so a scripted session reads as a transcript. Its changes are audited as
 * `telegram:<local user name>` (`audit --actor <you>` finds them), never as a Telegram user id.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { installAuditHook } from '../../audit/hook.js';
import { loadConfig } from '../../core/config.js';
import { withContext } from '../../core/context-name.js';
import { redact } from '../../core/redact.js';
import { contextDataHome, dataHome } from '../../core/paths.js';
import type { Registry } from '../../core/registry.js';
import { getRegistry } from '../../services/index.js';
import { telegramConfig } from '../../services/telegram/config.js';
import { BotCore } from './core.js';
import { htmlToText } from './html.js';
import { createLogger } from './log.js';
import type { Button, ChatTransport, ChatUser } from './types.js';

/** Options of the console loop. */
export interface ConsoleOptions {
  env?: NodeJS.ProcessEnv;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Whether to prompt (a terminal) or echo input lines (a pipe). */
  interactive?: boolean;
  registry?: Registry;
}

const CHAT_ID = 0;

function localUser(): ChatUser {
  let name = 'console';
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry
  }
  return { id: 0, name, username: name.replace(/[^A-Za-z0-9_]/g, '_') };
}

const label = (text: string): string => text.replace(/[^A-Za-z]/g, '').toLowerCase();

/** Runs the console until end of input or `exit`; returns the exit code. */
export async function runConsole(options: ConsoleOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((options.input ?? process.stdin) === process.stdin && process.stdin.isTTY);
  const config = loadConfig(env);
  const tg = telegramConfig(config);
  installAuditHook();
  const user = localUser();
  let nextId = 0;
  let buttons: Button[][] | undefined;
  const say = (prefix: string, html: string): void => {
    const lines = htmlToText(html).split('\n');
    output.write(`${lines.map((l, i) => (i === 0 ? `${prefix} ${l}` : `${' '.repeat(prefix.length)} ${l}`)).join('\n')}\n`);
  };
  const transport: ChatTransport = {
    async send(_chat, html, b) {
      say('bot>', html);
      if (b) {
        buttons = b;
        output.write(`     ${b.flat().map((x) => `[${x.text}]`).join(' ')}  (type ${b.flat().map((x) => label(x.text)).join(' or ')})\n`);
      }
      return ++nextId;
    },
    async edit(_chat, id, html) {
      say(`bot (#${id} edited)>`, html);
    },
    async sendDocument(_chat, fileName, content, caption) {
      say('bot>', `📄 ${fileName}${caption ? `: ${caption}` : ''}`);
      output.write(`${content}\n`);
    },
    async answerCallback(_id, text) {
      if (text) say('bot>', `(${text})`);
    },
  };
  const core = new BotCore({
    config, tg, env, dataDir: dataHome(env), inboxDir: contextDataHome(withContext(env, config.context ?? 'default')), registry: options.registry ?? getRegistry(), transport,
    logger: createLogger((line) => process.stderr.write(line), 'error'),
    allow: (id) => id === user.id,
    // The console's user is the local one, not a Telegram user: its changes are audited under the local user name.
    localActor: user.name,
  });
  output.write(`homelab bot console: you are ${user.name}. Send /help; type exit to leave.\n`);
  const rl = createInterface({ input: options.input ?? process.stdin, terminal: false });
  const prompt = (): void => {
    if (interactive) output.write('you> ');
  };
  prompt();
  let tap = 0;
  for await (const raw of rl) {
    const line = raw.trim();
    // The transcript's echo is output too: a stored secret typed as a value shows as *** (core registers them).
    if (!interactive && line) output.write(`you> ${redact(line)}\n`);
    if (line === 'exit' || line === 'quit') break;
    const button = line ? buttons?.flat().find((b) => label(b.text) === label(line)) : undefined;
    if (button) {
      buttons = undefined;
      await core.handleCallback({ id: String(++tap), chatId: CHAT_ID, user, data: button.data });
    } else if (line) {
      await core.handleMessage({ chatId: CHAT_ID, chatType: 'private', user, text: line });
    }
    prompt();
  }
  rl.close();
  await core.stop();
  return 0;
}
