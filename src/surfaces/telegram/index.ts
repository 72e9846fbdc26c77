/** @module surfaces/telegram — the Telegram bot (`homelab bot`) and its terminal console. */
export { startBot, type RunningBot, type StartBotOptions } from './bot.js';
export { runConsole, type ConsoleOptions } from './console.js';
export { BotCore, type BotDeps } from './core.js';
export { botCommand } from './bot-command.js';
export type { ChatTransport, IncomingMessage, IncomingCallback, ChatUser } from './types.js';
