/**
 * @module services/setup/service
 * The hub's own administration, as top-level commands (a service with an empty name):
 * `doctor` (config, credentials and a probe of each service: is the hub set up right),
 * `services`, `init`, `shims install`. Commands whose work spans services (`status`,
 * `check`, `expose`, `plan`, `apply`) live in `services/hub`.
 */
import type { ServiceModule } from '../../core/operation.js';
import { doctorOperation } from './doctor/operation.js';
import { initOperation } from './init.js';
import { servicesOperation } from './services-op.js';
import { shimsInstall } from './shims.js';

/** The top-level commands. */
export const setupService: ServiceModule = {
  name: '',
  summary: 'Top-level commands: doctor, services, init, shims',
  operations: [doctorOperation, servicesOperation, initOperation, shimsInstall],
  // `shims install [DIR]`: Tab completes a directory name.
  completeFields: { dir: ['dir'] },
};
