/**
 * @module test/helpers/request-logs
 * A vitest setup file: simulators started in a test process keep every request they
 * receive (`sim.requests`), as tests take `requests.length` before an action and look at
 * what came after it. A `homelab lab` outside the tests keeps only the last ones.
 */
import { keepFullRequestLogs } from '../../src/lab/sim-server.js';

keepFullRequestLogs();
