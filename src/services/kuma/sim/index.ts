/**
 * @module services/kuma/sim
 * The Uptime Kuma simulator (Socket.IO v4, `/metrics`, push URLs), for the lab, the demo and the tests.
 */
export { startKumaSim, type KumaSim, type KumaSimOptions } from './server.js';
export { kumaTime, type BeatRow } from './state.js';
