/**
 * @module services/beszel/sim
 * The Beszel hub simulator (PocketBase-style REST), for the lab, the demo and the tests.
 */
export { startBeszelSim, type BeszelSim, type BeszelSimOptions } from './server.js';
export { OTHER_USER } from './seed.js';
