/** @module services/watch — operations of the alert daemon: status, run, digest, mute, unmute, maintenance. */
export { watchService } from './service.js';
