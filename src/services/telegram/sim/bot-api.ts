/**
 * @module services/telegram/sim/bot-api
 * The bot's side of the simulated Bot API: the methods homelab's bot calls, checked as
 * Telegram checks them (token, chat known, HTML entities, 4096-character limit,
 * callback data of at most 64 bytes, "message is not modified", command names),
 * plus what the `telegram-test-api` emulator lacks: long polling, `getFile` and file
 * downloads, `sendDocument` (multipart), `setMyCommands`, answered callback queries,
 * webhooks (`getUpdates` is refused with 409 while one is set) and the 409 a long poll gets
 * when another `getUpdates` with the token comes in (a second bot), forum topics
 * (`message_thread_id` kept on sent messages).
 * Storage of user updates stays with the emulator. Message methods are in `messages.ts`,
 * fault injection (slow, silent, reset, HTML 502, cut JSON) in `faults.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { faulted, PROXY_502, sendFaulted, takeFault } from './faults.js';
import { bad, editMessage, findMessage, parseJsonField, sendDocument, sendMessage, type Answer } from './messages.js';
import { parseMultipart } from './multipart.js';
import type { SimState } from './state.js';

type Body = Record<string, unknown>;

/** Handles `/bot<token>/<method>` and `/file/bot<token>/<path>`; false when the path is neither. */
export async function handleBotApi(state: SimState, emulator: TelegramServer, req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (file) {
    const found = file[1] === state.token ? [...state.files.values()].find((f) => f.path === decodeURIComponent(file[2] ?? '')) : undefined;
    if (!found) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.content.length });
    res.end(found.content);
    return true;
  }
  const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  if (!m) return false;
  if (m[1] !== state.token) {
    send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    return true;
  }
  const method = m[2] as string;
  const body = parseBody(req, raw, url);
  state.calls.push({ method, body, at: Date.now() });
  const fault = takeFault(state.faults, method);
  if (state.faults.latencyMs > 0 && faulted(state.faults, method)) await new Promise((r) => setTimeout(r, state.faults.latencyMs));
  if (fault === 'hang') {
    state.events.emit('change');
    return true;
  }
  if (fault === 'rateLimit') {
    send(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${state.faults.retryAfter}`, parameters: { retry_after: state.faults.retryAfter } });
    state.events.emit('change');
    return true;
  }
  if (fault === 'html') {
    res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html', 'content-length': Buffer.byteLength(PROXY_502) });
    res.end(PROXY_502);
    state.events.emit('change');
    return true;
  }
  const answer = await dispatch(state, emulator, method, body, res);
  state.events.emit('change');
  const [status, envelope] = 'error' in answer
    ? [answer.error, { ok: false, error_code: answer.error, description: answer.description }]
    : [200, { ok: true, result: answer.result }];
  if (fault === 'reset' || fault === 'badJson') sendFaulted(res, status, JSON.stringify(envelope), fault);
  else send(res, status, envelope);
  return true;
}


async function dispatch(state: SimState, emulator: TelegramServer, method: string, body: Body, res: ServerResponse): Promise<Answer> {
  switch (method) {
    case 'getMe':
      return { result: state.me };
    case 'getUpdates':
      if (state.webhookUrl) return { error: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" };
      return longPoll(state, emulator, Number(body.timeout ?? 0), res);
    case 'setWebhook':
      state.webhookUrl = String(body.url ?? '');
      return { result: true };
    case 'deleteWebhook':
      state.webhookUrl = '';
      return { result: true };
    case 'getWebhookInfo':
      return { result: { url: state.webhookUrl, has_custom_certificate: false, pending_update_count: 0 } };
    case 'sendChatAction':
      return { result: true };
    case 'setMyCommands':
      return setMyCommands(state, body);
    case 'sendMessage':
      return sendMessage(state, emulator, body);
    case 'editMessageText':
      return editMessage(state, body, true);
    case 'editMessageReplyMarkup':
      return editMessage(state, body, false);
    case 'deleteMessage': {
      const msg = findMessage(state, body);
      if (!msg || msg.deleted) return bad("message to delete not found");
      msg.deleted = true;
      return { result: true };
    }
    case 'answerCallbackQuery': {
      const id = String(body.callback_query_id ?? '');
      if (!id || state.callbackAnswers.some((a) => a.id === id)) return bad('query is too old and response timeout expired or query ID is invalid');
      state.callbackAnswers.push({ id, text: typeof body.text === 'string' ? body.text : undefined, showAlert: body.show_alert === true || body.show_alert === 'true' });
      return { result: true };
    }
    case 'getFile': {
      const f = state.files.get(String(body.file_id ?? ''));
      if (!f) return bad('invalid file_id');
      if (f.size > 20 * 1024 * 1024) return bad('file is too big');
      return { result: { file_id: f.fileId, file_unique_id: f.uniqueId, file_size: f.size, file_path: f.path } };
    }
    case 'sendDocument':
      return sendDocument(state, emulator, body);
    default:
      return { error: 404, description: 'Not Found' };
  }
}

/**
 * Waits for user updates (Telegram's long polling); the emulator alone answers at once. A
 * poll still waiting when another comes in is ended with Telegram's 409 conflict.
 */
async function longPoll(state: SimState, emulator: TelegramServer, timeoutSeconds: number, res: ServerResponse): Promise<Answer> {
  state.endPoll?.();
  const now = emulator.getUpdates(state.token);
  if (now.length || timeoutSeconds <= 0 || state.closing) return { result: now };
  let conflict = false;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const e of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) emulator.off(e, done);
      state.events.off('closing', done);
      res.off('close', done);
      if (state.endPoll === end) state.endPoll = undefined;
      resolve();
    };
    const end = (): void => {
      conflict = true;
      done();
    };
    const timer = setTimeout(done, Math.min(timeoutSeconds, 50) * 1000);
    for (const e of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) emulator.on(e, done);
    state.events.on('closing', done);
    res.on('close', done);
    state.endPoll = end;
  });
  if (conflict) return { error: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };
  return { result: emulator.getUpdates(state.token) };
}

function setMyCommands(state: SimState, body: Body): Answer {
  const commands = parseJsonField(body.commands);
  if (!Array.isArray(commands) || commands.length > 100) return bad('commands must be an array of at most 100 commands');
  for (const c of commands as { command?: unknown; description?: unknown }[]) {
    if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) return bad('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) return bad('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  state.commands = commands as { command: string; description: string }[];
  return { result: true };
}

function parseBody(req: IncomingMessage, raw: Buffer, url: URL): Body {
  const type = req.headers['content-type'] ?? '';
  const out: Body = Object.fromEntries(url.searchParams);
  if (!raw.length) return out;
  if (type.includes('application/json')) return { ...out, ...(JSON.parse(raw.toString('utf8')) as Body) };
  if (type.includes('multipart/form-data')) {
    for (const part of parseMultipart(raw, type)) {
      out[part.name] = part.filename !== undefined ? { filename: part.filename, content: part.data } : part.data.toString('utf8');
    }
    return out;
  }
  return { ...out, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
