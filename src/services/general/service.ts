/**
 * @module services/general/service
 * The top-level commands (a service with an empty name): `status`, `doctor`,
 * `services`, `init`, `shims install`.
 */
import type { ServiceModule } from '../../core/operation.js';
import { doctorOperation } from './doctor/operation.js';
import { initOperation } from './init.js';
import { servicesOperation } from './services-op.js';
import { shimsInstall } from './shims.js';
import { statusOperation } from './status.js';

/** The top-level commands. */
export const generalService: ServiceModule = {
  name: '',
  summary: 'Top-level commands: status, doctor, services, init, shims',
  operations: [statusOperation, doctorOperation, servicesOperation, initOperation, shimsInstall],
};
