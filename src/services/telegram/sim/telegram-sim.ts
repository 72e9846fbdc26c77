/**
 * @module services/telegram/sim/telegram-sim
 * The simulated Telegram Bot API for tests and demos: the `telegram-test-api` emulator
 * (user updates and its client API) behind a loopback server that answers the bot's
 * methods as Telegram does (see `bot-api.ts`). `telegram-test-api` is a dev
 * dependency: this module is loaded only by tests, never by the CLI bundle.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from '../../../lab/sim-cert.js';
import { handleBotApi } from './bot-api.js';
import { noTelegramFaults, type TelegramFaults } from './faults.js';
import type { SentMessage, SimFile, SimState } from './state.js';
import { SimUser, type SimUserOptions } from './user.js';

/** A running simulated Bot API. */
export interface TelegramSim {
  /** The `api_root` to configure (`http://127.0.0.1:<port>`). */
  url: string;
  token: string;
  state: SimState;
  /** Injected faults: slow, silent, reset, HTML 502, cut JSON (see `faults.ts`). */
  faults: TelegramFaults;
  /** Revokes the bot token (as BotFather's /revoke does): calls with it get 401 Unauthorized from now on. */
  revokeToken(): void;
  /** SHA-256 fingerprint of the self-signed certificate, when started with `tls`. */
  fingerprint?: string;
  /** Chats that have talked to the bot (Telegram refuses to write to others). */
  knownChats: Set<number>;
  /** A user in a private chat (or, with `chatId` and `type`, in a group). */
  user(options: SimUserOptions): SimUser;
  /** The bot's messages in a chat, in order. */
  messagesIn(chatId: number): SentMessage[];
  /** Makes a file downloadable (`getFile` + `/file/bot<token>/<path>`). */
  addFile(content: Buffer, path: string, size?: number): SimFile;
  /** Resolves with `find()`'s first truthy value, rechecked after every bot call. */
  waitFor<T>(find: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1 with a bot token (random unless given); `tls` serves HTTPS with a self-signed certificate. */
export async function startTelegramSim(options: { token?: string; tls?: boolean } = {}): Promise<TelegramSim> {
  const { TelegramServer } = await import('telegram-test-api/lib/telegramServer.js');
  const token = options.token ?? `${100000 + Math.floor(Math.random() * 899999)}:${randomBytes(26).toString('base64url').slice(0, 35)}`;
  const state: SimState = {
    token,
    me: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Homelab', username: 'homelab_test_bot' },
    messages: [], files: new Map(), knownChats: new Set(), callbackAnswers: [], calls: [],
    events: new EventEmitter().setMaxListeners(0), closing: false, webhookUrl: '', faults: noTelegramFaults(),
  };
  // Never started itself: its routes are served by our server, on our port (set below).
  const emulator = new TelegramServer({ host: '127.0.0.1' });
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (!path.startsWith('/bot') && !path.startsWith('/file/')) {
        (emulator as unknown as { webServer: RequestListener }).webServer(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        if (!(await handleBotApi(state, emulator, req, res, Buffer.concat(chunks)))) res.writeHead(404).end();
      } catch (err) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 500, description: `simulator error: ${(err as Error).message}` }));
      }
    })();
  };
  const cert = options.tls ? await selfSignedCert() : undefined;
  const server: Server = cert ? createTlsServer({ key: cert.key, cert: cert.cert }, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${cert ? 'https' : 'http'}://127.0.0.1:${port}`;
  emulator.config.port = port;
  emulator.config.apiURL = url;
  let nextFile = 1;
  const sim: TelegramSim = {
    url, token, state, knownChats: state.knownChats, faults: state.faults, fingerprint: cert?.fingerprint,
    revokeToken() {
      state.token = `${state.me.id}:${randomBytes(26).toString('base64url').slice(0, 35)}`;
    },
    messagesIn: (chatId) => state.messages.filter((m) => m.chatId === chatId),
    addFile(content, path, size) {
      const n = nextFile++;
      const file: SimFile = { fileId: `file-${n}-${randomBytes(4).toString('hex')}`, uniqueId: `u${n}`, path, content, size: size ?? content.length };
      state.files.set(file.fileId, file);
      return file;
    },
    user: (opts) => new SimUser(sim, emulator.getClient(token, { userId: opts.userId, chatId: opts.chatId ?? opts.userId, firstName: opts.firstName ?? `User${opts.userId}`, userName: opts.userName ?? `user${opts.userId}`, type: opts.type ?? 'private' }), opts),
    waitFor(find, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = find();
          if (!found) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          state.events.off('change', check);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        state.events.on('change', check);
        check();
      });
    },
    async close() {
      state.closing = true;
      state.events.emit('closing');
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  return sim;
}
