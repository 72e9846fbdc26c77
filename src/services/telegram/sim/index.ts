/**
 * @module services/telegram/sim
 * The simulated Telegram Bot API for tests and demos (see telegram-sim.ts). It is loaded
 * only by tests, never by the CLI bundle (`telegram-test-api` is a dev dependency).
 */
export { startTelegramSim, type TelegramSim } from './telegram-sim.js';
export type { SentMessage, SimFile, InlineButton } from './state.js';
export { PROXY_502, type TelegramFaults } from './faults.js';
export { SimUser, type SimUserOptions } from './user.js';
